"""How the audit history reads: one entry per user action ("Bea Lead changed the budget of
Leicestershire BCF plan 2025-26: 2 lines changed") opening to each record's changes in names,
labels and pounds; the CSV of the same; the JSON, raw states with the readable form beside them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel

from placeplan.audit.domain import PLAIN_ACTIONS, UK, Book, Lead, Registry, sentence, when, word
from placeplan.audit.service import Action, Filters, Listing, Reading
from placeplan.core.differences import FieldChange
from placeplan.store.audit import AuditEvent

SHORT = 300  # characters of a long text shown on the page; the CSV has it whole

HOW = {"api": "through the API", "cli": "at the command line", "system": "by the system"}


class FieldChangeOut(BaseModel):
    field: str
    before: Any
    after: Any
    before_text: str | None
    after_text: str | None


class AuditEventOut(BaseModel):
    id: int
    action_id: str
    at: str
    actor: str
    via: str
    action: str
    entity: str
    plan_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    # the same event as the page reads it
    person: str | None = None
    record: str | None = None
    record_kind: str | None = None
    what: str | None = None
    changes: list[FieldChangeOut] = []


def _raw(kind: str, state: dict[str, Any] | None) -> dict[str, Any] | None:
    # A token's prefix is part of its secret; events logged before 0019 still hold it.
    if state is None or kind != "api_token":
        return state
    return {k: v for k, v in state.items() if k != "prefix"}


def event_out(e: AuditEvent, listing: Listing | None = None) -> AuditEventOut:
    """The event as stored (raw before and after); with `listing`, its readable form too."""
    out = AuditEventOut(
        id=e.id,
        action_id=e.action_id,
        at=e.at.isoformat(),
        actor=e.actor,
        via=e.via,
        action=e.action,
        entity=f"{e.entity_kind}:{e.entity_id}",
        plan_id=e.plan_id,
        before=_raw(e.entity_kind, e.before),
        after=_raw(e.entity_kind, e.after),
    )
    if listing is None:
        return out
    record = describe(e, listing.registry, listing.book)
    uid = e.actor_user_id
    out.person = listing.people.get(uid, e.actor) if uid is not None else e.actor
    out.record, out.record_kind, out.what = record.name, record.noun, record.what
    out.changes = [FieldChangeOut(**f.as_json()) for f in record.fields]
    return out


@dataclass(frozen=True)
class RecordChange:
    """One event in words: what happened to which record, and each field that moved."""

    what: str  # "changed", "added", "submitted"
    noun: str
    name: str
    phrase: str  # "Line S2-1 of Acute discharge team", "the scheme Home first"
    href: str  # the record's own history
    fields: tuple[FieldChange, ...]


def describe(e: AuditEvent, kinds: Registry, book: Book) -> RecordChange:
    kind = kinds.kind(e.entity_kind)
    name = kind.name(e.after if e.after is not None else e.before, book)
    return RecordChange(
        what=word(e.action),
        noun=kind.noun,
        name=name,
        phrase=kind.phrase(name),
        href="/audit?" + urlencode({"entity": f"{e.entity_kind}:{e.entity_id}"}),
        fields=kind.fields(e.before, e.after, book),
    )


@dataclass(frozen=True)
class Entry:
    """One user action on the page."""

    when: str
    when_iso: str
    person: str
    person_href: str
    how: str
    sentence: str
    records: list[RecordChange]
    more: int  # chosen events of this action not listed here
    action_href: str


def _lead(action: Action, records: list[RecordChange]) -> Lead | None:
    """The event an action is named after: its only event, or its first when that is an act
    other than adding, changing or removing (a submission, a decision); a service writes what
    the person did first and its consequences (a snapshot, the plan approved) after."""
    if not records:
        return None
    first = action.events[0]
    if action.total == 1 or first.action not in PLAIN_ACTIONS:
        return Lead(first.entity_kind, first.action, records[0].phrase)
    return None


def action_sentence(action: Action, reading: Reading, records: list[RecordChange]) -> str:
    only = next(iter(action.plans)) if len(action.plans) == 1 else None
    scope = reading.book.name("plan", only) if only is not None else None
    person = reading.person(action.first)
    return sentence(person, action.counts, reading.registry, _lead(action, records), scope)


def entries(reading: Reading) -> list[Entry]:
    found = []
    for action in reading.actions:
        records = [describe(e, reading.registry, reading.book) for e in action.events]
        first = action.first
        found.append(
            Entry(
                when=when(first.at),
                when_iso=first.at.isoformat(),
                person=reading.person(first),
                person_href="/audit?" + urlencode({"person": first.actor}),
                how=HOW.get(first.via, ""),
                sentence=action_sentence(action, reading, records),
                records=records,
                more=action.total - len(records),
                action_href="/audit?" + urlencode({"action": action.action_id}),
            )
        )
    return found


def short(text: str | None) -> str:
    if not text:
        return ""
    return text if len(text) <= SHORT else text[:SHORT].rstrip() + "…"


def query(filters: Filters, **more: Any) -> dict[str, str]:
    """The filters as a query string's pairs, for links that keep them."""
    pairs = {
        "plan": filters.plan,
        "kind": filters.kind,
        "person": filters.person,
        "from": filters.start.isoformat() if filters.start else None,
        "to": filters.end.isoformat() if filters.end else None,
        "entity": f"{filters.entity[0]}:{filters.entity[1]}" if filters.entity else None,
        "action": filters.action,
        **more,
    }
    return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


def link(filters: Filters, **more: Any) -> str:
    pairs = query(filters, **more)
    return "/audit" + ("?" + urlencode(pairs) if pairs else "")


AUDIT_CSV_HEADER = [
    "Time (UK)",
    "Person",
    "Action",
    "Record",
    "Change",
    "Field",
    "Before",
    "After",
]


def _text(value: Any) -> str:
    return "" if value is None else str(value.text)


def audit_csv_rows(reading: Reading) -> list[list[Any]]:
    """A row per field that changed (a record with none shown still has its row), newest action
    first, each action's records in the order they were written."""
    rows: list[list[Any]] = []
    for action in reading.actions:
        records = [describe(e, reading.registry, reading.book) for e in action.events]
        said = action_sentence(action, reading, records)
        person = reading.person(action.first)
        for event, record in zip(action.events, records, strict=True):
            at = event.at.astimezone(UK).strftime("%Y-%m-%d %H:%M:%S")
            head = [at, person, said, record.name, record.what]
            for f in record.fields or (None,):
                if f is None:
                    rows.append([*head, "", "", ""])
                else:
                    rows.append([*head, f.label, _text(f.before), _text(f.after)])
    return rows
