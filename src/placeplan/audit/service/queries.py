"""The audit log's queries: which events a reader's filters choose, a page of the user actions
they belong to (newest first), how many of each kind each action touched, and the latest recorded
state of the records they name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from placeplan.audit.domain import UK, Registry
from placeplan.people.models import User
from placeplan.store.audit import AuditEvent

CHUNK = 500  # ids per IN list: well inside every dialect's limit on bound parameters


@dataclass(frozen=True)
class Filters:
    """What a reader narrows the history to; each is optional. `plan` is the plan and every record
    that belongs to it; `entity` one record (kind, id); `action` one user action; `start` and
    `end` whole days in UK time, both included."""

    plan: int | None = None
    kind: str | None = None
    person: str | None = None
    start: date | None = None
    end: date | None = None
    entity: tuple[str, int] | None = None
    action: str | None = None

    @property
    def narrowed(self) -> bool:
        return self != Filters()


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK)


def _in_plan(plan_id: int, registry: Registry) -> ColumnElement[bool]:
    """Events on the plan or on its records: a record whose state holds no plan_id (a KLOE
    review, a model run) is found through its parent's events."""
    clauses: list[ColumnElement[bool]] = [AuditEvent.plan_id == plan_id]
    parent = aliased(AuditEvent)
    for child in registry.children():
        column, parent_kind = child.belongs_to or ("", "")
        owned = select(parent.entity_id).where(
            parent.entity_kind == parent_kind, parent.plan_id == plan_id
        )
        held = func.coalesce(
            AuditEvent.after[column].as_integer(), AuditEvent.before[column].as_integer()
        )
        clauses.append(and_(AuditEvent.entity_kind == child.kind, held.in_(owned)))
    return or_(*clauses)


def where(filters: Filters, registry: Registry) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.plan is not None:
        clauses.append(_in_plan(filters.plan, registry))
    if filters.kind:
        clauses.append(AuditEvent.entity_kind == filters.kind)
    if filters.entity is not None:
        clauses.append(AuditEvent.entity_kind == filters.entity[0])
        clauses.append(AuditEvent.entity_id == filters.entity[1])
    if filters.person:
        clauses.append(AuditEvent.actor == filters.person)
    if filters.start is not None:
        clauses.append(AuditEvent.at >= _uk_midnight(filters.start))
    if filters.end is not None:
        clauses.append(AuditEvent.at < _uk_midnight(filters.end + timedelta(days=1)))
    if filters.action:
        clauses.append(AuditEvent.action_id == filters.action)
    return clauses


SCAN = 1000  # events read at a time while finding a page's actions, newest first


@dataclass(frozen=True)
class ActionPage:
    ids: list[str]  # the page's actions, newest first
    total: int | None  # how many actions the filters choose in all, when the reading saw them all


def action_page(
    session: Session, clauses: list[ColumnElement[bool]], page: int, size: int
) -> ActionPage:
    """The ids of one page of actions, by their latest chosen event, newest first. The chosen
    events are read newest first through the primary key (or the index a filter narrows by), a
    batch at a time, until the page is full: an action's latest event is where it is first met,
    so the log is never grouped or sorted whole. A reading that ran out of chosen events before
    the page was full has met every chosen action, so it counts them too (one record's history,
    most often: no count statement)."""
    wanted = page * size
    found: dict[str, None] = {}
    below: int | None = None
    every = False
    while len(found) < wanted:
        query = select(AuditEvent.id, AuditEvent.action_id).where(*clauses)
        if below is not None:
            query = query.where(AuditEvent.id < below)
        rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(SCAN)).all()
        for _, action_id in rows:
            found.setdefault(action_id, None)
        if len(rows) < SCAN:
            every = True
            break
        below = rows[-1][0]
    ids = list(found)[(page - 1) * size : wanted]
    return ActionPage(ids, len(found) if every else None)


def action_count(session: Session, clauses: list[ColumnElement[bool]]) -> int:
    """How many actions the filters choose in all."""
    total = session.scalar(select(func.count(func.distinct(AuditEvent.action_id))).where(*clauses))
    return int(total or 0)


def latest_id(session: Session) -> int | None:
    """The log's latest event: the log is only ever appended to, in each writer's transaction,
    so this stands as its revision token (store.revisions.ReuseCache)."""
    return session.scalar(select(func.max(AuditEvent.id)))


def all_actions(session: Session, clauses: list[ColumnElement[bool]]) -> list[str]:
    latest = func.max(AuditEvent.id)
    query = select(AuditEvent.action_id).where(*clauses).group_by(AuditEvent.action_id)
    return list(session.scalars(query.order_by(latest.desc())))


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


@dataclass(frozen=True)
class Tally:
    """How many chosen events of one action are of one kind and action, on one plan."""

    action_id: str
    kind: str
    action: str
    plan_id: int | None
    n: int
    first_id: int


def counts(
    session: Session, clauses: list[ColumnElement[bool]], action_ids: list[str]
) -> list[Tally]:
    """The chosen events of each action counted by kind, action and plan, in the order each
    first appears."""
    found: list[Tally] = []
    for chunk in _chunks(action_ids):
        query = (
            select(
                AuditEvent.action_id,
                AuditEvent.entity_kind,
                AuditEvent.action,
                AuditEvent.plan_id,
                func.count(),
                func.min(AuditEvent.id),
            )
            .where(*clauses, AuditEvent.action_id.in_(chunk))
            .group_by(
                AuditEvent.action_id, AuditEvent.entity_kind, AuditEvent.action, AuditEvent.plan_id
            )
        )
        found.extend(Tally(*row) for row in session.execute(query))
    return sorted(found, key=lambda tally: tally.first_id)


def tallies(events: Iterable[AuditEvent]) -> list[Tally]:
    """What `counts` gives, from every chosen event of the actions in hand (no statement)."""
    found: dict[tuple[str, str, str, int | None], Tally] = {}
    for e in events:
        key = (e.action_id, e.entity_kind, e.action, e.plan_id)
        had = found.get(key)
        found[key] = Tally(
            *key, (had.n if had else 0) + 1, min(had.first_id, e.id) if had else e.id
        )
    return sorted(found.values(), key=lambda tally: tally.first_id)


def first_events(
    session: Session,
    clauses: list[ColumnElement[bool]],
    action_ids: list[str],
    per_action: int | None,
) -> list[AuditEvent]:
    """The first `per_action` chosen events of each action (all of them for None), oldest first."""
    found: list[AuditEvent] = []
    for chunk in _chunks(action_ids):
        chosen = [*clauses, AuditEvent.action_id.in_(chunk)]
        if per_action is None:
            query = select(AuditEvent).where(*chosen)
        else:
            rank = (
                func.row_number()
                .over(partition_by=AuditEvent.action_id, order_by=AuditEvent.id)
                .label("rank")
            )
            ranked = select(AuditEvent.id, rank).where(*chosen).subquery()
            wanted = select(ranked.c.id).where(ranked.c.rank <= per_action)
            query = select(AuditEvent).where(AuditEvent.id.in_(wanted))
        found.extend(session.scalars(query.order_by(AuditEvent.id)))
    return found


def latest_states(
    session: Session, wanted: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """Each record's latest recorded state (its last before one removed it): its name now. Every
    kind in one statement (a page names records of a dozen kinds), through the entity index."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(wanted))):
        latest = (
            select(func.max(AuditEvent.id))
            .where(tuple_(AuditEvent.entity_kind, AuditEvent.entity_id).in_(chunk))
            .group_by(AuditEvent.entity_kind, AuditEvent.entity_id)
        )
        for event in session.scalars(select(AuditEvent).where(AuditEvent.id.in_(latest))):
            state = event.after if event.after is not None else event.before
            if state is not None:
                found[(event.entity_kind, event.entity_id)] = state
    return found


def display_names(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        query = select(User.id, User.display_name).where(User.id.in_(chunk))
        found.update({row[0]: row[1] for row in session.execute(query)})
    return found


def distinct_people(
    session: Session, scope: list[ColumnElement[bool]]
) -> list[tuple[str, int | None]]:
    query = (
        select(AuditEvent.actor, func.max(AuditEvent.actor_user_id))
        .where(*scope)
        .group_by(AuditEvent.actor)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def distinct_kinds(session: Session, scope: list[ColumnElement[bool]]) -> list[str]:
    return list(session.scalars(select(AuditEvent.entity_kind).where(*scope).distinct()))


def distinct_plans(session: Session, scope: list[ColumnElement[bool]]) -> list[int]:
    query = select(AuditEvent.plan_id).where(AuditEvent.plan_id.is_not(None), *scope).distinct()
    return [int(p) for p in session.scalars(query) if p is not None]


def scope(
    organisation_id: int, area_ids: frozenset[int], plan_ids: Select[int]
) -> ColumnElement[bool]:
    """The events someone outside the system-wide role reads: those of the plans they may read,
    of their organisation, its people and its areas, and whatever their organisation's people did."""
    members = select(User.id).where(User.organisation_id == organisation_id)
    return or_(
        AuditEvent.plan_id.in_(plan_ids),
        AuditEvent.actor_user_id.in_(members),
        and_(AuditEvent.entity_kind == "organisation", AuditEvent.entity_id == organisation_id),
        and_(AuditEvent.entity_kind.in_(("user", "sign_in")), AuditEvent.entity_id.in_(members)),
        and_(AuditEvent.entity_kind == "area", AuditEvent.entity_id.in_(sorted(area_ids))),
    )


def events(
    session: Session, clauses: list[ColumnElement[bool]], limit: int, offset: int
) -> list[AuditEvent]:
    query = select(AuditEvent).where(*clauses).order_by(AuditEvent.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))
