"""The pure rules of delivery tracking: RAG ratings, stages, derived changes.

No database here. Reporting periods (a quarter of a financial year, `2025-26 Q2`, or a calendar
month, `2025-09`) are parsed by `placeplan.core.periods.parse_quarter_or_month`.
"""

from __future__ import annotations

from datetime import date

from placeplan.core.errors import InputError

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
