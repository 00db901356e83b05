"""The national assurance checklist, the ratings and what an assurance record's fields accept.
Pure: the record's answers come in as plain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from placeplan.core.errors import InputError
from placeplan.core.fields import MAX_PARAGRAPHS, Field, Limits


@dataclass(frozen=True)
class Item:
    """One line of the national checklist. `from_record`: the record answers it when it can (the
    assurer answers when it cannot); otherwise only the assurer answers it."""

    key: str
    label: str
    from_record: bool


CHECKLIST: tuple[Item, ...] = (
    Item("on_time", "Submitted on time", True),
    Item("signatories", "Signed off by every required signatory (national condition 1)", True),
    Item("national_conditions", "Meets the national conditions", False),
    Item("funding_rules", "Meets the funding rules", True),
    Item("ambitions", "Sets an ambition for each metric its schemes name", True),
    Item("capacity_demand", "Has a capacity and demand plan", True),
    Item("narrative", "Has a narrative", True),
)
ITEM_KEYS = tuple(item.key for item in CHECKLIST)

RATINGS: dict[str, str] = {
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "not_approved": "Not approved",
}
ANSWERS: dict[str, str] = {"yes": "Yes", "no": "No"}

ASSURANCE = Limits(
    (
        Field("conditions", "conditions of approval", max_length=MAX_PARAGRAPHS),
        Field("comments", "assurer's comments", max_length=MAX_PARAGRAPHS),
        Field("escalation_note", "reason for escalation", max_length=MAX_PARAGRAPHS),
    )
)

# The national submission deadline of each year's BCF plan, by the year it starts (BCF planning
# requirements; 2025-26's 31 March 2025 is confirmed in REFERENCE.md, the earlier dates are
# recalled from each year's planning requirements). A year not listed has no deadline the
# record can check, so the assurer answers "submitted on time".
DEADLINES: dict[int, date] = {
    2021: date(2021, 11, 16),
    2022: date(2022, 9, 26),
    2023: date(2023, 6, 28),
    2024: date(2024, 6, 10),
    2025: date(2025, 3, 31),
}


@dataclass(frozen=True)
class Facts:
    """What the record says about a plan, as the checklist reads it; None where it cannot say."""

    period_start: int
    first_submitted: date | None
    missing_sign_off: tuple[str, ...]
    unsigned_steps: int
    funding_problems: tuple[str, ...]
    metrics_without_ambition: tuple[str, ...]
    capacity_models: int
    narrative_written: int  # headings of the national narrative template with text
    narrative_headings: int


@dataclass(frozen=True)
class Answer:
    item: Item
    met: bool | None  # None: not yet answered
    by_record: bool
    why: str


def _from_record(item: str, facts: Facts) -> tuple[bool | None, str]:
    if item == "on_time":
        deadline = DEADLINES.get(facts.period_start)
        if facts.first_submitted is None:
            return (False, "Not submitted yet") if deadline else (None, "Not submitted yet")
        if deadline is None:
            return (
                None,
                f"First submitted {facts.first_submitted:%-d %B %Y}; no national deadline held",
            )
        on_time = facts.first_submitted <= deadline
        return on_time, (
            f"First submitted {facts.first_submitted:%-d %B %Y}; the deadline was"
            f" {deadline:%-d %B %Y}"
        )
    if item == "signatories":
        if facts.missing_sign_off:
            return False, "; ".join(facts.missing_sign_off)
        if facts.unsigned_steps:
            return False, f"{facts.unsigned_steps} step(s) not yet approved on the version held"
        return True, "Every step national condition 1 asks for approved the version held"
    if item == "funding_rules":
        if facts.funding_problems:
            return False, "; ".join(facts.funding_problems)
        return True, "No funding rule is broken"
    if item == "ambitions":
        if facts.metrics_without_ambition:
            return False, "No ambition for " + ", ".join(facts.metrics_without_ambition)
        return True, "Every metric the schemes name has an ambition"
    if item == "capacity_demand":
        if facts.capacity_models:
            return True, f"{facts.capacity_models} capacity and demand model(s) held"
        return None, "No capacity and demand model held: the assurer says"
    if item == "narrative":
        if facts.narrative_written == facts.narrative_headings:
            return (
                True,
                f"Every one of the narrative's {facts.narrative_headings} headings is written",
            )
        if facts.narrative_written:
            return None, (
                f"{facts.narrative_written} of the narrative's {facts.narrative_headings} headings "
                "are written: the assurer says"
            )
        return None, "No narrative is held: the assurer says"
    raise KeyError(item)


def checklist(facts: Facts, answers: Mapping[str, str]) -> list[Answer]:
    """Each item answered by the record where it can be, else by the assurer's yes or no."""
    out = []
    for item in CHECKLIST:
        met, why = _from_record(item.key, facts) if item.from_record else (None, "")
        if met is not None:
            out.append(Answer(item, met, True, why))
            continue
        given = answers.get(item.key)
        out.append(
            Answer(
                item, None if given is None else given == "yes", False, why or "The assurer says"
            )
        )
    return out


def met_count(answers: list[Answer]) -> tuple[int, int]:
    return sum(1 for a in answers if a.met), len(answers)


def check_rating(rating: str | None, conditions: str | None) -> None:
    if rating is not None and rating not in RATINGS:
        raise InputError(
            f"'{rating}' is not a rating: choose approved, approved with conditions or not"
            " approved",
            field="rating",
        )
    if rating == "approved_with_conditions" and not (conditions or "").strip():
        raise InputError("Say the conditions of an approval with conditions", field="conditions")


def check_answers(answers: Mapping[str, str]) -> dict[str, str]:
    kept = {}
    for key, value in answers.items():
        if key not in ITEM_KEYS:
            raise InputError(f"'{key}' is not an item of the checklist", field="answers")
        if value in ("", None):
            continue
        if value not in ANSWERS:
            raise InputError(
                f"answer yes or no to '{dict((i.key, i.label) for i in CHECKLIST)[key]}'",
                field=f"answer_{key}",
            )
        kept[key] = value
    return kept
