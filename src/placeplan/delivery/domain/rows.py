"""A tracker row: an action with its latest rating, the one before and its overdue milestones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from placeplan.delivery.domain import rules


@dataclass
class Rating:
    period: str
    period_end: date
    overall: str
    risk: str | None
    trajectory: str | None
    internal_commentary: str | None
    decision_needed: str | None
    risks: str | None
    version: int
    public_commentary: str | None = None
    evidence: str | None = None


@dataclass
class ActionRow:
    id: int
    ref: str
    we_will: str
    stage: str
    theme: str
    priority_ref: str
    priority: str
    body_id: int | None
    body: str | None
    lead_contacts: list[str]
    lead_user_id: int | None
    due_date: date | None
    version: int
    current: Rating | None = None
    previous: Rating | None = None
    overdue: list[dict[str, Any]] = field(default_factory=list)

    @property
    def change(self) -> str:
        if self.current is None:
            return "not_rated"
        return rules.change(self.previous.overall if self.previous else None, self.current.overall)
