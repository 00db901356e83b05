"""The one list of each record's editable fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from placeplan.core.errors import InputError
from placeplan.core.fields import MAX_NAME, MAX_PARAGRAPHS, Field, Items, Limits, Window, texts
from placeplan.core.periods import QuarterOrMonth

DELIVERY_KINDS = frozenset({"strategy_delivery_plan", "five_year_plan"})

# An action's fields, as a document, an API body, a form or a tracker row gives them (a tracker
# names the body and lead user by text; the service turns those into body_id and lead_user_id).
ACTION_FIELDS = [
    "we_will",
    "i_will",
    "stage",
    "improvement",
    "equity",
    "equity_assured",
    "resources",
    "resources_source",
    "engagement",
    "body_id",
    "governance_note",
    "start_date",
    "due_date",
    "lead_contacts",
    "lead_organisations",
    "lead_user_id",
    "principles",
    "plus_groups",
]
# One action's report for a period.
UPDATE_FIELDS = [
    "overall_rag",
    "risk_rag",
    "trajectory_rag",
    "internal_commentary",
    "public_commentary",
    "risks",
    "decision_needed",
    "evidence",
]
MILESTONE_FIELDS = ["ref", "by_text", "due_date", "done_date"]

# What each field accepts (core.fields): the pages, the API and the tracker workbook's reader
# check through these, so each refuses a value with the same words.
_STATEMENT = 2_000  # a "We will" or "I will" statement: a sentence or two
ACTION = Limits(
    (
        Field("ref", "action's reference", max_length=40),
        Field("we_will", "'We will' statement", max_length=_STATEMENT),
        Field("i_will", "'I will' statement", max_length=_STATEMENT),
        *texts(
            (
                ("improvement", "improvement it makes"),
                ("equity", "equity it brings"),
                ("resources", "resources"),
                ("resources_source", "source of the resources"),
                ("engagement", "engagement"),
                ("governance_note", "governance note"),
            ),
            MAX_PARAGRAPHS,
        ),
    ),
    # An action names a few leads, principles and groups; 20 of each leaves room without letting
    # a pasted directory through. A principle is named by its ref ("1", "4a").
    lists=(
        Items("lead_contacts", "lead contacts", "lead contact", 20, MAX_NAME),
        Items("lead_organisations", "lead organisations", "lead organisation", 20, MAX_NAME),
        Items("principles", "guiding principles", "guiding principle's ref", 20, 40),
        Items("plus_groups", "PLUS groups", "PLUS group", 20, MAX_NAME),
    ),
)
UPDATE = Limits(
    texts(
        (
            ("internal_commentary", "internal commentary"),
            ("public_commentary", "public commentary"),
            ("risks", "risks"),
            ("decision_needed", "decision needed"),
            ("evidence", "evidence"),
        ),
        MAX_PARAGRAPHS,
    )
)
MILESTONE = Limits(
    (
        Field("ref", "milestone's reference", max_length=40),
        Field("by_text", "milestone", max_length=_STATEMENT),
    )
)


@dataclass(frozen=True)
class Chosen:
    """What an action's guiding principles and PLUS groups are chosen from: the refs of the
    plan's principles and the names of its groups (none: the plan's framework names none, and
    anything goes), and what the action holds now (it stands, though the framework dropped it)."""

    principles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    held: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def check(self, values: dict[str, Any]) -> None:
        """Each principle and group in `values` one of the plan's, spelled as the plan spells
        it; whichever way in (page, API, tracker workbook), refused in the same words."""
        for name, known in (("principles", self.principles), ("plus_groups", self.groups)):
            if name in values and known:
                values[name] = ACTION.items(name).among(
                    values[name], known, "the plan's", self.held.get(name) or ()
                )


def check_reporting_period(window: Window, when: QuarterOrMonth) -> None:
    """An update reports on a period of the plan: one outside it is refused, whichever way in."""
    problem = window.problem(when.label, when.first_day, when.last_day, "reporting period")
    if problem:
        raise InputError(problem, field="period")


def check_milestone_dates(
    due_date: date | None, done_date: date | None, window: Window | None = None
) -> None:
    """A milestone is not done in the future, and falls due within the plan's period (`window`),
    whichever way in: page, API or tracker workbook."""
    if done_date is not None and done_date > date.today():
        raise InputError("a milestone cannot be done in the future", field="done_date")
    if window is not None and (problem := window.day_problem(due_date, "milestone's due date")):
        raise InputError(problem, field="due_date")
