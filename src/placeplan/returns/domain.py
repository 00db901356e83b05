"""A return's content as one plain mapping (what a confirmed return keeps, what its workbook and
page show): spend to date and the forecast against the plan by category, by funding source and by
line, each metric's latest figure against its ambition with its SPC reading, the national
conditions and who confirmed them, and the narrative. The year-end return (the fourth quarter)
adds the outturn: the year's actual spend against the plan. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from placeplan.budget.domain.actuals import PROFILE_RULE, LinePosition, Quarter, Totals, grouped
from placeplan.budget.domain.actuals import totals as sum_totals
from placeplan.core.fields import Field, Limits
from placeplan.plans.domain import fingerprint

NARRATIVE = Limits(
    (
        Field("conditions_confirmed_by", "name of the person confirming", max_length=200),
        Field("conditions_note", "note on the national conditions", max_length=10_000),
        Field("successes", "successes", max_length=10_000),
        Field("challenges", "challenges", max_length=10_000),
    )
)
EDITABLE = [
    "conditions_met",
    "conditions_confirmed_by",
    "conditions_note",
    "successes",
    "challenges",
]

SPEND_COLUMNS = [
    "Plan for the year",
    "Planned to date",
    "Actual to date",
    "Variance to date",
    "Forecast outturn",
    "Forecast variance",
]


@dataclass(frozen=True)
class LineFacts:
    """A line as the return lists it: its scheme, category and funding source by name."""

    position: LinePosition
    scheme: str
    category: str
    source: str


@dataclass(frozen=True)
class MetricFacts:
    """A metric's latest reading as the measures board words it."""

    name: str
    period: str
    value: str
    variation: str
    assurance: str
    ambition: str
    against: str


def _totals(name: str, t: Totals) -> dict[str, Any]:
    return {
        "name": name,
        "plan_pence": t.amount_pence,
        "planned_pence": t.planned_pence,
        "actual_pence": t.actual_pence,
        "variance_pence": t.variance_pence,
        "forecast_pence": t.forecast_pence,
        "forecast_variance_pence": t.forecast_variance_pence,
    }


def spend_tables(lines: Sequence[LineFacts]) -> dict[str, Any]:
    """Spend by category, by funding source, by line and in total."""
    positions = [f.position for f in lines]
    category = {f.position.ref: f.category for f in lines}
    source = {f.position.ref: f.source for f in lines}
    return {
        "by_category": [_totals(k, v) for k, v in grouped(positions, category).items()],
        "by_source": [_totals(k, v) for k, v in grouped(positions, source).items()],
        "by_line": [
            {
                **_totals(f"Line {f.position.ref}", sum_totals([f.position])),
                "scheme": f.scheme,
                "category": f.category,
                "source": f.source,
                "commentary": f.position.commentary or "",
            }
            for f in lines
        ],
        "total": _totals("Total", sum_totals(positions)),
    }


def return_content(
    *,
    plan: Mapping[str, Any],
    quarter: Quarter,
    lines: Sequence[LineFacts],
    metrics: Sequence[MetricFacts],
    said: Mapping[str, Any],
    illustrative: bool,
) -> dict[str, Any]:
    """The return for `quarter`: `plan` names it (title, area), `said` is what its preparers
    wrote (EDITABLE). A fourth quarter's return is the year-end return, with the outturn."""
    year_end = quarter.number == 4
    content: dict[str, Any] = {
        "plan": dict(plan),
        "quarter": quarter.label,
        "kind": "Year-end return" if year_end else "Quarterly return",
        "illustrative": illustrative,
        "profile": PROFILE_RULE,
        "conditions": {
            "met": said.get("conditions_met"),
            "confirmed_by": said.get("conditions_confirmed_by") or "",
            "note": said.get("conditions_note") or "",
        },
        "metrics": [m.__dict__ for m in metrics],
        "spend": spend_tables(lines),
        "narrative": {
            "successes": said.get("successes") or "",
            "challenges": said.get("challenges") or "",
        },
    }
    if year_end:
        total = content["spend"]["total"]
        content["outturn"] = {
            "plan_pence": total["plan_pence"],
            "outturn_pence": total["actual_pence"],
            "variance_pence": total["actual_pence"] - total["plan_pence"],
        }
    return content


def content_fingerprint(content: Mapping[str, Any]) -> str:
    """The return's digest: two returns with the same fingerprint say the same thing."""
    return fingerprint(content)


def conditions_problem(said: Mapping[str, Any]) -> str | None:
    """Why a return cannot be confirmed yet: the national conditions must be answered, and the
    answer must name who confirmed it."""
    if said.get("conditions_met") is None:
        return "Say whether the national conditions are still met before confirming the return"
    if not str(said.get("conditions_confirmed_by") or "").strip():
        return "Name the person who confirmed the national conditions before confirming the return"
    return None
