"""The pages' and downloads' side of assurance: labels, the dashboard's table (page, CSV, xlsx),
the comparisons' and batch report's rows, the funnel chart's geometry and how the audit history
reads assurance records."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from placeplan.assurance import domain
from placeplan.assurance.domain.funnel import Funnel, Limit
from placeplan.assurance.service import NOT_RATED, Dashboard, Row
from placeplan.assurance.service.batch import Batch
from placeplan.assurance.service.comparisons import League, Spend
from placeplan.audit.domain import describe_kind
from placeplan.measures.present.labels import ASSURANCE, VARIATION
from placeplan.measures.present.spc_icons import Side, variation_text
from placeplan.pledges.domain.table import Table

RATING_LABELS: dict[str, str] = {**domain.RATINGS, NOT_RATED: "Not yet rated"}
# NHS.UK tag colours: the words carry the meaning, the colour repeats it.
RATING_TAGS: dict[str, str] = {
    "approved": "nhsuk-tag--green",
    "approved_with_conditions": "nhsuk-tag--yellow",
    "not_approved": "nhsuk-tag--red",
    NOT_RATED: "nhsuk-tag--grey",
}

AUDIT_KINDS = (
    describe_kind(
        "assurance_record",
        noun="assurance record",
        name=lambda state, names: "assurance",
        labels={
            "rating": "Rating",
            "conditions": "Conditions",
            "comments": "Comments",
            "escalated": "Escalated",
            "escalation_note": "Reason for escalation",
        },
        hidden={"answers", "checked", "updated_at"},
        choices={"rating": domain.RATINGS},
        part="the assurance",
    ),
)

HEADER = (
    "Region",
    "System",
    "Area",
    "GSS code",
    "Plan",
    "Status",
    "First submitted",
    "Rating",
    "Conditions",
    "Escalated",
    "Checklist items met",
)


def row_values(row: Row) -> list[Any]:
    return [
        row.region,
        row.system,
        row.area,
        row.gss_code,
        row.title,
        row.status.capitalize(),
        row.first_submitted.isoformat() if row.first_submitted else "",
        RATING_LABELS[row.rating or NOT_RATED],
        row.conditions or "",
        "Yes" if row.escalated else "No",
        f"{row.met} of {row.items}" if row.met is not None else "Not yet assessed",
    ]


def table(board: Dashboard) -> Table:
    return Table(
        title=f"Assurance of BCF plans {year_label(board.year)}",
        sheet="Assurance",
        header=HEADER,
        rows=[row_values(r) for r in board.rows],
    )


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


# ---- comparisons -------------------------------------------------------------------------------

LEAGUE_HEADER = ("Rank", "Area", "Latest period", "Latest value", "Variation", "Assurance",
                 "Ambition")  # fmt: skip
FUNNEL_HEADER = ("Area", "Count", "Population or denominator", "Value", "Against the limits")


def league_rows(found: League) -> list[list[Any]]:
    rows = []
    for rank, r in enumerate(found.rows, start=1):
        rows.append(
            [
                rank,
                r.area.name,
                r.latest.period if r.latest else "",
                f"{r.latest.value:.{r.places}f}" if r.latest else "",
                variation_text(r.variation, cast(Side, r.side))
                or VARIATION.get(r.variation, r.variation),
                ASSURANCE.get(r.assurance, r.assurance),
                f"{r.ambition[1]} ({r.ambition[0]})" if r.ambition else "None set",
            ]
        )
    return rows


def funnel_rows(shape: Funnel) -> list[list[Any]]:
    return [
        [p.name, f"{p.count:,.0f}", f"{p.size:,.0f}", f"{p.value:,.1f}", p.band.capitalize()]
        for p in shape.points
    ]


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    lines: dict[str, str]  # name -> SVG points
    dots: list[tuple[float, float, str, str]]  # x, y, area name, band
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


def funnel_chart(shape: Funnel, width: int = 640, height: int = 380) -> FunnelChart:
    """SVG geometry: population on a log scale (the limits' curve is even on it), value linear."""
    left, right, top, bottom = 70, 20, 20, 50
    sizes = [lim.size for lim in shape.limits]
    values = [p.value for p in shape.points] + [v for lim in shape.limits
                                                  for v in (lim.low_998, lim.high_998)]  # fmt: skip
    lo_x, hi_x = math.log10(min(sizes)), math.log10(max(sizes))
    lo_y, hi_y = min(values), max(values)
    span_y = (hi_y - lo_y) or 1.0

    def x(size: float) -> float:
        return left + (math.log10(size) - lo_x) / ((hi_x - lo_x) or 1.0) * (width - left - right)

    def y(value: float) -> float:
        return top + (hi_y - value) / span_y * (height - top - bottom)

    def line(pick: Callable[[Limit], float]) -> str:
        return " ".join(f"{x(lim.size):.1f},{y(pick(lim)):.1f}" for lim in shape.limits)

    lines = {
        "low_998": line(lambda lim: lim.low_998),
        "low_95": line(lambda lim: lim.low_95),
        "high_95": line(lambda lim: lim.high_95),
        "high_998": line(lambda lim: lim.high_998),
        "comparator": f"{x(sizes[0]):.1f},{y(shape.comparator):.1f} "
        f"{x(sizes[-1]):.1f},{y(shape.comparator):.1f}",
    }
    dots = [(x(p.size), y(p.value), p.name, p.band) for p in shape.points]
    x_ticks = [(x(10**k), f"{10**k:,.0f}") for k in range(math.ceil(lo_x), math.floor(hi_x) + 1)]
    y_ticks = [(y(lo_y + span_y * i / 4), f"{lo_y + span_y * i / 4:,.1f}") for i in range(5)]
    return FunnelChart(width, height, lines, dots, x_ticks, y_ticks)


# ---- batch collection --------------------------------------------------------------------------

BATCH_HEADER = ("File", "Outcome", "Area", "Year", "Plan status", "Funding rules",
                "Stated figures", "Differences from the last submission", "Problems")  # fmt: skip


def batch_rows(found: Batch) -> list[list[Any]]:
    return [
        [
            r.file,
            r.outcome,
            r.area,
            r.year,
            r.status.capitalize(),
            r.funding_rules,
            r.stated,
            r.changes,
            "; ".join(r.problems),
        ]
        for r in found.rows
    ]


def per_head(pence: int, population: int | None) -> str:
    """Pounds per resident to the penny (Decimal, rounded half up), or a dash without a
    population."""
    if not population:
        return "–"
    pounds = (Decimal(pence) / 100 / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"£{pounds:,}"


def spend_header(found: Spend) -> list[str]:
    return ["Area", "Population", *found.categories.values(), "Total"]


def spend_rows(found: Spend) -> list[list[str]]:
    return [
        [
            r.area.name,
            f"{r.population:,}" if r.population else "",
            *(per_head(r.by_category.get(key, 0), r.population) for key in found.categories),
            per_head(r.total, r.population),
        ]
        for r in found.rows
    ]
