"""The pure rules of delivery tracking: RAG ratings, stages, reporting periods, derived changes.

No database here. Reporting periods are written as DESIGN.md writes them: a quarter of a
financial year (`2025-26 Q2`, July to September 2025) or a calendar month (`2025-09`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from placeplan.core.errors import InputError
from placeplan.core.periods import FinancialYear, parse_period

RAGS: tuple[str, ...] = ("red", "amber", "green")
RAG_LABELS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green"}
# Worse first: a move to a lower rank is a deterioration.
_RAG_RANK = {"red": 0, "amber": 1, "green": 2}

# What each rating means, unless a plan sets its own (seed 004's tracker columns).
DEFAULT_RAG_DEFINITIONS: dict[str, dict[str, str]] = {
    "overall": {
        "red": "The action will not deliver against the plan without intervention",
        "amber": "Delivery is at risk; the lead has a recovery plan in hand",
        "green": "On track to deliver against the plan",
    },
    "risk": {
        "red": "A high risk or open issue threatens delivery",
        "amber": "A moderate risk or issue is being managed",
        "green": "No significant risk or issue",
    },
    "trajectory": {
        "red": "No evidence of improvement against the planned trajectory",
        "amber": "Some evidence of improvement, behind the planned trajectory",
        "green": "Evidence of improvement in line with, or ahead of, the planned trajectory",
    },
}
RAG_KINDS: dict[str, str] = {
    "overall": "Overall RAG status",
    "risk": "Risk / issue RAG",
    "trajectory": "Improvement trajectory RAG",
}

STAGES: dict[str, str] = {
    "not_started": "Not yet started",
    "started": "Started",
    "feasibility": "Feasibility",
    "delivery": "Delivery",
    "evaluation": "Evaluation",
    "complete": "Complete",
}

CHANGES: dict[str, str] = {
    "new": "First rated this period",
    "improved": "Improved",
    "worsened": "Worsened",
    "unchanged": "No change",
    "not_rated": "Not rated this period",
}


def check_rag(value: str | None, field: str, required: bool = False) -> str | None:
    text = (value or "").strip().lower()
    if not text:
        if required:
            raise InputError("choose a rating: red, amber or green", field=field)
        return None
    if text not in _RAG_RANK:
        raise InputError(
            f"'{value}' is not a RAG rating: expected red, amber or green", field=field
        )
    return text


def check_stage(value: str, field: str = "stage") -> str:
    text = (value or "").strip().lower().replace(" ", "_")
    if text == "not_yet_started":
        text = "not_started"
    if text not in STAGES:
        raise InputError(
            f"'{value}' is not a delivery stage: expected one of {', '.join(STAGES)}", field=field
        )
    return text


def change(previous: str | None, current: str | None) -> str:
    """The change in a RAG since the last period it was rated, derived, never typed."""
    if current is None:
        return "not_rated"
    if previous is None:
        return "new"
    if _RAG_RANK[current] > _RAG_RANK[previous]:
        return "improved"
    if _RAG_RANK[current] < _RAG_RANK[previous]:
        return "worsened"
    return "unchanged"


def is_overdue(due: date | None, done: date | None, as_of: date) -> bool:
    """A milestone due by `as_of` and not done by then."""
    return due is not None and due < as_of and (done is None or done > as_of)


@dataclass(frozen=True)
class ReportingPeriod:
    label: str  # canonical: `2025-26 Q2` or `2025-09`
    first_day: date
    last_day: date

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.last_day, self.first_day)


_QUARTER = re.compile(r"^(\d{4}\s*[-/]\s*\d{2})\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_reporting_period(text: str, field: str = "period") -> ReportingPeriod:
    cleaned = " ".join(str(text or "").split())
    if match := _QUARTER.match(cleaned):
        year: FinancialYear = parse_period(match[1], field=field).first
        quarter = int(match[2])
        first_month = 4 + 3 * (quarter - 1)  # April, July, October, January
        calendar_year = year.start_year + (1 if first_month > 12 else 0)
        first_month = (first_month - 1) % 12 + 1
        last_month = first_month + 2
        last = date(calendar_year, last_month, calendar.monthrange(calendar_year, last_month)[1])
        return ReportingPeriod(
            f"{year.label} Q{quarter}", date(calendar_year, first_month, 1), last
        )
    if match := _MONTH.match(cleaned):
        year_n, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1990 <= year_n <= 2100:
            last = date(year_n, month, calendar.monthrange(year_n, month)[1])
            return ReportingPeriod(f"{year_n}-{month:02d}", date(year_n, month, 1), last)
    raise InputError(
        f"'{text}' is not a reporting period: expected a quarter such as 2025-26 Q2"
        " or a month such as 2025-09",
        field=field,
    )
