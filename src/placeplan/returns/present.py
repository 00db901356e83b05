"""Actual spend and returns as pages, CSV and the API show them, and as the audit history reads
them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from placeplan.audit.domain import describe_kind
from placeplan.budget.service.actuals import LineSpend, SpendView
from placeplan.core.money import format_pence
from placeplan.returns.service import ReturnView

SPEND_HEADER = [
    "Scheme",
    "Line",
    "Category",
    "Funding source",
    "Quarter",
    "Plan for the year (£)",
    "Planned to date (£)",
    "Actual to date (£)",
    "Variance to date (£)",
    "Forecast outturn (£)",
    "Forecast variance (£)",
    "Commentary",
    "Illustrative",
]


def pounds(pence: int) -> str:
    """Pounds to the penny, as a CSV carries them (a figure, no sign of currency)."""
    return f"{Decimal(pence) / 100:.2f}"


def spend_csv(view: SpendView) -> list[list[Any]]:
    out = []
    for s in view.lines:
        p = s.position
        out.append(
            [
                s.scheme.name,
                s.line.ref,
                s.category,
                s.source,
                view.quarter.label,
                pounds(p.amount_pence),
                pounds(p.planned_pence),
                pounds(p.actual_pence),
                pounds(p.variance_pence),
                pounds(p.forecast_pence),
                pounds(p.forecast_variance_pence),
                p.commentary or "",
                "Yes" if any(r.illustrative for r in s.spends.values()) else "",
            ]
        )
    return out


class LineSpendOut(BaseModel):
    line: str
    scheme: str
    category: str
    funding_source: str
    quarter: str
    plan_pence: int
    planned_to_date_pence: int
    actual_to_date_pence: int
    variance_to_date_pence: int
    forecast_outturn_pence: int
    forecast_variance_pence: int
    commentary: str | None
    spend_this_quarter_pence: int | None
    version: int | None  # of this quarter's spend row, for a PUT
    url: str


class SpendOut(BaseModel):
    plan_id: int
    quarter: str
    illustrative: bool
    planned_profile: str
    lines: list[LineSpendOut]


class SpendIn(BaseModel):
    actual_pence: int
    forecast_pence: int | None = None
    commentary: str | None = None
    version: int = Field(
        description="The spend row's version you started from: 0 when the quarter has none yet"
    )


def line_out(view: SpendView, s: LineSpend) -> LineSpendOut:
    p = s.position
    row = s.spends.get(view.quarter.label)
    return LineSpendOut(
        line=s.line.ref,
        scheme=s.scheme.name,
        category=s.category,
        funding_source=s.source,
        quarter=view.quarter.label,
        plan_pence=p.amount_pence,
        planned_to_date_pence=p.planned_pence,
        actual_to_date_pence=p.actual_pence,
        variance_to_date_pence=p.variance_pence,
        forecast_outturn_pence=p.forecast_pence,
        forecast_variance_pence=p.forecast_variance_pence,
        commentary=p.commentary,
        spend_this_quarter_pence=row.actual_pence if row else None,
        version=row.version if row else None,
        url=f"/plans/{view.plan.id}/spend/lines/{s.line.ref}/{view.quarter.slug}",
    )


def spend_out(view: SpendView, rule: str) -> SpendOut:
    return SpendOut(
        plan_id=view.plan.id,
        quarter=view.quarter.label,
        illustrative=view.illustrative,
        planned_profile=rule,
        lines=[line_out(view, s) for s in view.lines],
    )


class ReturnOut(BaseModel):
    plan_id: int
    quarter: str
    status: str
    confirmed_by: str | None
    fingerprint: str
    stale: bool
    version: int | None
    content: dict[str, Any]
    url: str


def return_out(view: ReturnView) -> ReturnOut:
    row = view.row
    return ReturnOut(
        plan_id=view.plan.id,
        quarter=view.quarter.label,
        status=row.status if row else "not started",
        confirmed_by=row.confirmed_by if row else None,
        fingerprint=view.fingerprint,
        stale=view.stale,
        version=row.version if row else None,
        content=view.content,
        url=f"/plans/{view.plan.id}/returns/{view.quarter.slug}",
    )


def signed(pence: int) -> str:
    """A variance with its sign: '+£1,000.00' over the plan, '-£1,000.00' under it."""
    return ("+" if pence > 0 else "") + format_pence(pence)


AUDIT_KINDS = (
    describe_kind(
        "actual_spend",
        noun="quarter's actual spend",
        name="{quarter}",
        within="line_id",
        labels={
            "quarter": "Quarter",
            "actual_pence": "Actual spend",
            "forecast_pence": "Forecast outturn",
            "commentary": "Commentary",
        },
        money=("actual_pence", "forecast_pence"),
        refs={"line_id": "bcf_line"},
        part="the actual spend",
    ),
    describe_kind(
        "plan_return",
        noun="return",
        name="Return for {quarter}",
        labels={
            "quarter": "Quarter",
            "conditions_met": "National conditions still met",
            "conditions_confirmed_by": "Confirmed by",
            "conditions_note": "Note on the national conditions",
            "successes": "Successes",
            "challenges": "Challenges",
            "status": "Status",
            "confirmed_by": "Confirmed by",
        },
        hidden=("content", "fingerprint", "confirmed_at"),
        part="the returns",
        verbs={"confirm": "confirmed"},
    ),
)
