"""The append-only audit log: one row per change, written in the same transaction as the change."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.store.base import Base, BigId, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity_kind", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action_id: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    via: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    entity_kind: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(BigId)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The plan the record belongs to, when its state says (or it is a plan): the history of a
    # plan is read by it. Not a foreign key: the log outlives what it records.
    plan_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    # The hash chain (migration 0019): row_hash covers prev_hash and the row's own content, so a
    # changed, removed or inserted row breaks every link after it (`placeplan audit verify`).
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    row_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditChainHead(Base):
    """The one row holding the newest link: locked by every writer of audit events, so concurrent
    transactions append to the chain one after another."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))


GENESIS = "0" * 64
CHAINED = (
    "action_id",
    "at",
    "actor",
    "actor_user_id",
    "via",
    "action",
    "entity_kind",
    "entity_id",
    "before",
    "after",
    "plan_id",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    # Through JSON and back: tuples become lists and keys text, as the database hands them back.
    return json.loads(json.dumps(value, default=str))


def link_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 over the previous link and the row's content, as sorted canonical JSON."""
    body = json.dumps(
        {name: _canonical(content.get(name)) for name in CHAINED},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + "\n" + body).encode()).hexdigest()


def _take_head(session: Session) -> str:
    """The newest link, locked until this transaction ends. A write comes first: it takes the row
    lock on PostgreSQL and SQLite's write lock, so the read after it cannot be stale."""
    taken = session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(last_hash=AuditChainHead.last_hash)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) == 0:
        # No head row (a database emptied by TRUNCATE): start from the newest chained row.
        last = session.execute(
            select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar_one_or_none()
        dialect = session.get_bind().dialect.name
        start = (pg_insert if dialect == "postgresql" else sqlite_insert)(AuditChainHead)
        # Another writer may be starting the head too: theirs stands, then we wait on its lock.
        session.execute(
            start.values(id=1, last_hash=last or GENESIS).on_conflict_do_nothing(
                index_elements=["id"]
            )
        )
        return _take_head(session)
    return session.execute(
        select(AuditChainHead.last_hash).where(AuditChainHead.id == 1)
    ).scalar_one()


def _chain(session: Session, rows: Sequence[Any]) -> None:
    """Link rows (AuditEvents or insert dicts), in the order they will be inserted."""
    prev = _take_head(session)
    for row in rows:
        content = row if isinstance(row, dict) else {n: getattr(row, n) for n in CHAINED}
        digest = link_hash(prev, content)
        if isinstance(row, dict):
            row["prev_hash"], row["row_hash"] = prev, digest
        else:
            row.prev_hash, row.row_hash = prev, digest
        prev = digest
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(last_hash=prev)
        .execution_options(synchronize_session=False)
    )


def plan_of(
    entity_kind: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> int | None:
    """The plan an event is about: the entity itself when it is a plan, else its state's plan_id."""
    if entity_kind == "plan":
        return entity_id
    state = after if after is not None else before
    value = (state or {}).get("plan_id")
    return value if isinstance(value, int) else None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        # Canonical text, so 50, 50.0 and 50.00 (as the database hands it back) compare equal.
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


# Secrets never enter the log; a model run's results are kept once, on the run itself.
# A token's prefix is part of the secret: never in the log (migration 0019's time on, and the
# audit's answers leave it out of what was logged before).
NOT_AUDITED = frozenset({"password_hash", "token_hash", "results", "prefix"})


def state_of(obj: Any, exclude: frozenset[str] = NOT_AUDITED) -> dict[str, Any]:
    """The column values of a mapped object as JSON-ready data (secrets and bulky results left out)."""
    mapper = inspect(type(obj))
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_kind: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEvent:
    event = AuditEvent(
        action_id=actor.action_id,
        at=utcnow(),
        actor=actor.name,
        actor_user_id=actor.user_id,
        via=actor.via,
        action=action,
        entity_kind=entity_kind,
        entity_id=entity_id,
        before=before,
        after=after,
        plan_id=plan_of(entity_kind, entity_id, before, after),
    )
    session.add(event)
    return event


def record_many(
    session: Session,
    actor: Actor,
    entries: Sequence[tuple[str, str, int, dict[str, Any] | None, dict[str, Any] | None]],
) -> None:
    """Many events of one action in one executemany: (action, kind, id, before, after) each."""
    if not entries:
        return
    at = utcnow()
    rows = [
        {
            "action_id": actor.action_id,
            "at": at,
            "actor": actor.name,
            "actor_user_id": actor.user_id,
            "via": actor.via,
            "action": action,
            "entity_kind": kind,
            "entity_id": entity_id,
            "before": before,
            "after": after,
            "plan_id": plan_of(kind, entity_id, before, after),
        }
        for action, kind, entity_id, before, after in entries
    ]
    session.flush()  # earlier pending events take their links first
    _chain(session, rows)
    session.execute(insert(AuditEvent), rows)


def history(
    session: Session, entity_kind: str | None = None, entity_id: int | None = None, limit: int = 500
) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if entity_kind is not None:
        query = query.where(AuditEvent.entity_kind == entity_kind)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return list(session.scalars(query))


def state_at_version(
    session: Session, entity_kind: str, entity_id: int, version: int
) -> dict[str, Any] | None:
    """What a versioned record looked like at `version`, read back from the audit log."""
    for row in history(session, entity_kind, entity_id):
        if row.after is not None and row.after.get("version") == version:
            return row.after
    return None


def changed_fields(
    started_from: dict[str, Any] | None, now: dict[str, Any], fields: list[str]
) -> dict[str, tuple[Any, Any]]:
    """Fields whose stored value moved since the editor loaded the record."""
    if started_from is None:
        return {}
    return {
        name: (started_from.get(name), now.get(name))
        for name in fields
        if started_from.get(name) != now.get(name)
    }


def parse_entity(entity: str | None) -> tuple[str | None, int | None]:
    """`plan:3` -> ("plan", 3); `plan` -> ("plan", None)."""
    if not entity:
        return None, None
    kind, _, ident = entity.partition(":")
    if ident and not ident.isdigit():
        raise InputError(f"'{entity}' is not KIND:ID, e.g. plan:3", field="entity")
    return kind, int(ident) if ident else None


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session: Session, _context: Any, _instances: Any) -> None:
    # The database refuses too (triggers in the first migration); this names the culprit sooner.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("audit events are append-only: they cannot be changed or deleted")
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if new:
        # Inserted in the order they were added, so they are linked in that order.
        new.sort(key=lambda obj: inspect(obj).insert_order or 0)
        _chain(session, new)
