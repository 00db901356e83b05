"""Assurance's pure rules: the national checklist and ratings (checklist), and funnel plot
control limits (funnel)."""

from __future__ import annotations

from placeplan.assurance.domain.checklist import (
    ANSWERS,
    ASSURANCE,
    CHECKLIST,
    DEADLINES,
    ITEM_KEYS,
    RATINGS,
    Answer,
    Facts,
    Item,
    check_answers,
    check_rating,
    checklist,
    met_count,
)

__all__ = [
    "ANSWERS",
    "ASSURANCE",
    "CHECKLIST",
    "DEADLINES",
    "ITEM_KEYS",
    "RATINGS",
    "Answer",
    "Facts",
    "Item",
    "check_answers",
    "check_rating",
    "checklist",
    "met_count",
]
