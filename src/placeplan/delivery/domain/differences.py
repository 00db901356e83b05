"""A delivery plan's records as a comparison shows them (`placeplan.core.differences`): actions,
one period's updates and milestones, each field under the label the tracker gives it, stages and
ratings as words, dates as "31 May 2025", bodies and people by name. Pure: the service looks the
names up and says which values each record has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from placeplan.core.differences import Record, Value
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.tracker import same

ACTION_LABELS: dict[str, str] = {
    "we_will": "We will",
    "i_will": "I will",
    "stage": "Delivery stage",
    "improvement": "How will this demonstrate improvement?",
    "lead_contacts": "Lead contacts",
    "lead_organisations": "Lead organisations",
    "lead_user_id": "Lead",
    "body_id": "Governance body",
    "governance_note": "Governance note",
    "start_date": "Start",
    "due_date": "Due",
    "equity": "How will this improve equity?",
    "equity_assured": "Equity assured",
    "resources": "Resources",
    "resources_source": "Source of resources",
    "engagement": "Planned engagement",
    "principles": "Guiding principles",
    "plus_groups": "PLUS groups",
}
UPDATE_LABELS: dict[str, str] = {
    "overall_rag": "Overall RAG",
    "risk_rag": "Risk / issue RAG",
    "trajectory_rag": "Improvement trajectory RAG",
    "internal_commentary": "Internal commentary",
    "public_commentary": "Public commentary",
    "risks": "Risks and issues",
    "decision_needed": "Decision needed",
    "evidence": "Evidence",
}
MILESTONE_LABELS: dict[str, str] = {"by_text": "By ...", "due_date": "Due", "done_date": "Done"}
_DATES = frozenset({"start_date", "due_date", "done_date"})


@dataclass(frozen=True)
class Names:
    """What ids and refs are called: governance bodies and people by id, principles by ref."""

    bodies: Mapping[int, str] = field(default_factory=dict)
    users: Mapping[int, str] = field(default_factory=dict)
    principles: Mapping[str, str] = field(default_factory=dict)


def in_words(day: date | str) -> str:
    """A date as people write it: 31 May 2025."""
    found = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{found.day} {found:%B %Y}"


def shown(name: str, value: Any, names: Names) -> Value:
    """One field's value: `raw` as compared and kept in JSON (text stripped, dates ISO, ids as
    stored), `text` as a person reads it."""
    raw = same(value)
    if raw is None or raw == []:
        return Value(None, "")
    if name == "stage":
        text = rules.STAGES.get(raw, str(raw))
    elif name.endswith("_rag"):
        text = rules.RAG_LABELS.get(raw, str(raw))
    elif name in _DATES:
        text = in_words(raw)
    elif name == "equity_assured":
        text = "Yes" if raw else "No"
    elif name == "body_id":
        text = names.bodies.get(raw, "a governance body no longer held")
    elif name == "lead_user_id":
        text = names.users.get(raw, "a person no longer held")
    elif name == "principles":
        text = "; ".join(f"{r}. {names.principles[r]}" if r in names.principles else r for r in raw)
    elif isinstance(raw, list):
        text = ", ".join(raw)
    else:
        text = str(raw)
    return Value(raw, text)


def record(name: str, labels: Mapping[str, str], values: Mapping[str, Any], names: Names) -> Record:
    """A record of the fields in `labels` that `values` holds, in the labels' order."""
    return Record(
        name,
        {label: shown(key, values[key], names) for key, label in labels.items() if key in values},
    )


def action_name(ref: str, we_will: str | None) -> str:
    return f"{ref}: {we_will}" if we_will else ref


def milestone_name(action_ref: str, ref: str, by_text: str | None) -> str:
    return f"{action_ref} milestone {ref}" + (f": {by_text}" if by_text else "")
