"""An action's report for a period as typed, and the period a new report falls in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class UpdateIn:
    """One action's report for a period, as typed. `version` is that of the stored update the
    person started from, 0 when there was none."""

    action_id: int
    version: int | None
    overall_rag: str | None
    risk_rag: str | None = None
    trajectory_rag: str | None = None
    internal_commentary: str | None = None
    public_commentary: str | None = None
    risks: str | None = None
    decision_needed: str | None = None
    evidence: str | None = None


def text_or_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def current_quarter(today: date | None = None) -> str:
    today = today or date.today()
    start = today.year if today.month >= 4 else today.year - 1
    quarter = ((today.month - 4) % 12) // 3 + 1
    return f"{start}-{(start + 1) % 100:02d} Q{quarter}"


def plan_quarters(first_year: int, last_year: int) -> list[str]:
    """Every reporting quarter of a plan running over the financial years starting in
    `first_year` to `last_year`, in order: `2023-24 Q1` ... `2024-25 Q4`."""
    return [
        f"{year}-{(year + 1) % 100:02d} Q{quarter}"
        for year in range(first_year, last_year + 1)
        for quarter in (1, 2, 3, 4)
    ]


def reporting_quarter(first_year: int, last_year: int, today: date | None = None) -> str | None:
    """The quarter a plan's leads report on now: today's, while the plan runs; its last quarter
    once it has ended (its final reports are still owed); None before it starts."""
    quarters = plan_quarters(first_year, last_year)
    now = current_quarter(today)
    if now in quarters:
        return now
    return quarters[-1] if now > quarters[-1] else None
