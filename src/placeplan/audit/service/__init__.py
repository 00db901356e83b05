"""Reading the audit history, for those who may (signed-in people and the operator): the events a
reader's filters choose, grouped by the user action that made them, a page at a time, with what
is needed to read them in the record's language (the kinds' descriptions, the names of the
records they point at, the people's names)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import Session

from placeplan.audit.domain import Book, Count, Registry
from placeplan.audit.service import queries
from placeplan.audit.service.kinds import registry
from placeplan.audit.service.queries import Filters
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, SignInNeeded
from placeplan.core.hooks import Hook
from placeplan.core.permissions import can_read_audit, is_system_wide
from placeplan.store import audit
from placeplan.store.audit import AuditEvent
from placeplan.store.revisions import ReuseCache

__all__ = ["Filters", "filters_from", "page_number", "read", "read_all", "listing", "events"]

PAGE_SIZE = 50
SHOWN_PER_ACTION = 25  # an action's first records in full; the rest by its own page or the CSV

# What the filters offer and how many actions each reading chooses both read the reader's whole
# scope of the log: they are reused while the log's latest event stands (it is only appended to).
# The age bound covers a transaction that commits an earlier event after a later one was read.
SCOPE_TTL = 60.0


@dataclass
class Action:
    """One user action: its chosen events counted by kind and how, and the first few in full."""

    action_id: str
    first: AuditEvent
    counts: list[Count] = field(default_factory=list)
    plans: set[int | None] = field(default_factory=set)
    events: list[AuditEvent] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.n for c in self.counts)


@dataclass(frozen=True)
class Options:
    """What the filters offer: (value, what a person reads) each."""

    plans: list[tuple[int, str]]
    kinds: list[tuple[str, str]]
    people: list[tuple[str, str]]


@dataclass
class Reading:
    registry: Registry
    book: Book
    people: dict[int, str]
    actions: list[Action]
    page: int = 1
    pages: int = 1
    total: int = 0
    subject: str | None = None
    options: Options | None = None

    def person(self, event: AuditEvent) -> str:
        """The person's name now, or what the log calls a command-line or system actor."""
        if event.actor_user_id is not None and event.actor_user_id in self.people:
            return self.people[event.actor_user_id]
        return event.actor


@dataclass
class Listing:
    """Events one by one (the JSON answer and the command line), with what reads them."""

    events: list[AuditEvent]
    registry: Registry
    book: Book
    people: dict[int, str]


# The plans a reader may read, asked of the plans concept (later in the order): None for all.
readable_plan_query: Hook[Callable[[Actor], Select[int] | None]] = Hook(
    "audit.readable_plan_query", "a query of the ids of the plans a reader may read"
)


def _require(actor: Actor) -> None:
    if not can_read_audit(actor):
        raise SignInNeeded("sign in to read the audit history")


def _scope(session: Session, actor: Actor) -> tuple[list[ColumnElement[bool]], Hashable]:
    """What of the log the reader may read: all of it for the system-wide role and the operator;
    for others their plans' and their organisation's events (queries.scope). With it, a key that
    names that part of the log (for reusing what was read from it)."""
    _require(actor)
    p = actor.principal
    if is_system_wide(actor) or p is None:
        return [], None
    plan_ids = readable_plan_query.call(actor)
    if plan_ids is None:
        return [], None
    # The plans a reader may read follow from who they are; the log records any change to them.
    return [queries.scope(p.organisation_id, p.area_ids, plan_ids)], p


def _day(text: str | None, field_name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"'{text}' is not a date: expected a date like 2025-02-27", field=field_name
        ) from None


def _whole(text: str | int | None, field_name: str) -> int | None:
    if text is None or text == "":
        return None
    if isinstance(text, int):
        return text
    if not text.isdigit():
        raise InputError(f"'{text}' is not a number", field=field_name)
    return int(text)


def page_number(text: str | None) -> int:
    """The page a request asks for: 1 unless it says."""
    number = _whole(text, "page")
    if number is None:
        return 1
    if number < 1:
        raise InputError("pages are numbered from 1", field="page")
    return number


def filters_from(
    *,
    plan: str | int | None = None,
    kind: str | None = None,
    person: str | None = None,
    start: str | None = None,
    end: str | None = None,
    entity: str | None = None,
    action: str | None = None,
) -> Filters:
    """The filters as a request gives them: `entity` is KIND:ID (or a kind alone), dates are
    YYYY-MM-DD."""
    entity_kind, entity_id = audit.parse_entity(entity)
    first, last = _day(start, "from"), _day(end, "to")
    if first and last and first > last:
        raise InputError("the first day comes after the last: swap them", field="from")
    return Filters(
        plan=_whole(plan, "plan"),
        kind=kind or (entity_kind if entity_id is None else None),
        person=person or None,
        start=first,
        end=last,
        entity=(entity_kind, entity_id) if entity_kind and entity_id is not None else None,
        action=action or None,
    )


def _book(
    session: Session, kinds: Registry, events: Iterable[AuditEvent], extra: set[tuple[str, int]]
) -> Book:
    """The latest states of every record the events point at (and those records' own references,
    a few levels deep), so each reads by name."""
    wanted = set(extra)
    for e in events:
        described = kinds.kind(e.entity_kind)
        wanted |= described.references(e.before) | described.references(e.after)
    states: dict[tuple[str, int], dict[str, Any]] = {}
    tried: set[tuple[str, int]] = set()
    for _ in range(4):
        missing = wanted - tried
        if not missing:
            break
        tried |= missing
        loaded = queries.latest_states(session, missing)
        states.update(loaded)
        wanted = {ref for (k, _), s in loaded.items() for ref in kinds.kind(k).references(s)}
    return Book(kinds, states)


def _actions(
    session: Session, clauses: list[ColumnElement[bool]], ids: list[str], per: int | None
) -> list[Action]:
    counted: dict[str, list[Count]] = defaultdict(list)
    plans: dict[str, set[int | None]] = defaultdict(set)
    shown: dict[str, list[AuditEvent]] = defaultdict(list)
    events = queries.first_events(session, clauses, ids, per)
    # Every chosen event in hand (`per` None) counts itself: one statement fewer.
    found = queries.tallies(events) if per is None else queries.counts(session, clauses, ids)
    for tally in found:
        counted[tally.action_id].append(Count(tally.kind, tally.action, tally.n))
        plans[tally.action_id].add(tally.plan_id)
    for event in events:
        shown[event.action_id].append(event)
    return [Action(i, shown[i][0], counted[i], plans[i], shown[i]) for i in ids if shown[i]]


def _subject(filters: Filters) -> tuple[str, int] | None:
    if filters.entity is not None:
        return filters.entity
    return ("plan", filters.plan) if filters.plan is not None else None


def _reading(session: Session, kinds: Registry, filters: Filters, actions: list[Action]) -> Reading:
    events = [e for a in actions for e in a.events]
    extra = {("plan", p) for a in actions for p in a.plans if p is not None}
    subject = _subject(filters)
    if subject is not None:
        extra.add(subject)
    book = _book(session, kinds, events, extra)
    people = queries.display_names(
        session, [a.first.actor_user_id for a in actions if a.first.actor_user_id is not None]
    )
    reading = Reading(kinds, book, people, actions)
    if subject is not None:
        name = book.name(*subject)
        described = kinds.kind(subject[0])
        reading.subject = described.phrase(name) if name else described.noun
    return reading


def _options(session: Session, kinds: Registry, scope: list[ColumnElement[bool]]) -> Options:
    plan_ids = queries.distinct_plans(session, scope)
    names = Book(kinds, queries.latest_states(session, [("plan", p) for p in plan_ids]))
    people = queries.distinct_people(session, scope)
    shown = queries.display_names(session, [u for _, u in people if u is not None])
    return Options(
        plans=sorted(((p, names.name("plan", p) or "") for p in plan_ids), key=lambda o: o[1]),
        kinds=sorted(
            ((k, kinds.kind(k).noun.capitalize()) for k in queries.distinct_kinds(session, scope)),
            key=lambda o: o[1],
        ),
        people=sorted(
            ((a, shown.get(u, a) if u is not None else a) for a, u in people),
            key=lambda o: o[1].lower(),
        ),
    )


_options_kept: ReuseCache[Options] = ReuseCache(size=256, ttl=SCOPE_TTL)
_totals_kept: ReuseCache[int] = ReuseCache(size=1024, ttl=SCOPE_TTL)


def read(
    session: Session, actor: Actor, filters: Filters, page: int = 1, size: int = PAGE_SIZE
) -> Reading:
    """One page of the chosen history, a user action an entry, newest first; with the filters'
    options."""
    scope, scope_key = _scope(session, actor)
    if page < 1:
        raise InputError("pages are numbered from 1", field="page")
    kinds = registry()
    clauses = [*scope, *queries.where(filters, kinds)]
    found = queries.action_page(session, clauses, page, size)
    per = None if filters.action or filters.entity else SHOWN_PER_ACTION
    reading = _reading(session, kinds, filters, _actions(session, clauses, found.ids, per))
    url = str(session.get_bind().engine.url)
    latest = queries.latest_id(session)
    token = None if latest is None else str(latest)
    total = found.total
    if total is None:
        total = _totals_kept.get_or_make(
            (url, scope_key, filters, size),
            token,
            lambda: queries.action_count(session, clauses),
        )
    reading.page, reading.total = page, total
    reading.pages = max(1, ceil(total / size))
    reading.options = _options_kept.get_or_make(
        (url, scope_key), token, lambda: _options(session, kinds, scope)
    )
    return reading


def read_all(session: Session, actor: Actor, filters: Filters) -> Reading:
    """Every chosen action with every chosen event (the CSV download)."""
    scope, _ = _scope(session, actor)
    kinds = registry()
    clauses = [*scope, *queries.where(filters, kinds)]
    ids = queries.all_actions(session, clauses)
    reading = _reading(session, kinds, filters, _actions(session, clauses, ids, None))
    reading.total = len(ids)
    return reading


def listing(
    session: Session, actor: Actor, filters: Filters, limit: int = 500, offset: int = 0
) -> Listing:
    """Chosen events one by one, newest first, with what reads them."""
    scope, _ = _scope(session, actor)
    if not 1 <= limit <= 5000 or offset < 0:
        raise InputError("limit runs from 1 to 5000, offset from 0", field="limit")
    kinds = registry()
    found = queries.events(session, [*scope, *queries.where(filters, kinds)], limit, offset)
    book = _book(session, kinds, found, set())
    people = queries.display_names(
        session, [e.actor_user_id for e in found if e.actor_user_id is not None]
    )
    return Listing(found, kinds, book, people)


def events(
    session: Session, actor: Actor, entity: str | None, limit: int = 500
) -> list[AuditEvent]:
    """The events of one record (`kind:id`), or the latest `limit` of all, newest first."""
    return listing(session, actor, filters_from(entity=entity), limit).events
