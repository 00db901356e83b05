"""Write helpers that keep every change and its audit row together."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.store import audit
from placeplan.store.uow import flush


class Identified(Protocol):
    id: Any


T = TypeVar("T", bound=Identified)


def add_recorded(session: Session, actor: Actor, kind: str, obj: T, action: str = "create") -> T:
    session.add(obj)
    flush(session)
    audit.record(session, actor, action, kind, obj.id, None, audit.state_of(obj))
    return obj


def update_recorded(
    session: Session,
    actor: Actor,
    kind: str,
    obj: Any,
    changes: dict[str, Any],
    action: str = "update",
) -> Any:
    before = audit.state_of(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    if not session.is_modified(obj):
        return obj
    flush(session)
    audit.record(session, actor, action, kind, obj.id, before, audit.state_of(obj))
    return obj


def add_many_recorded(session: Session, actor: Actor, kind: str, objs: list[T]) -> list[T]:
    """As add_recorded, with one flush for the lot: imports of hundreds of rows stay quick."""
    session.add_all(objs)
    flush(session)
    audit.record_many(
        session, actor, [("create", kind, obj.id, None, audit.state_of(obj)) for obj in objs]
    )
    return objs


def update_many_recorded(
    session: Session, actor: Actor, kind: str, changes: list[tuple[T, dict[str, Any]]]
) -> None:
    """As update_recorded, with one flush for the lot; rows left as they were are not recorded."""
    touched = []
    for obj, values in changes:
        before = audit.state_of(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        if session.is_modified(obj):
            touched.append((obj, before))
    flush(session)
    entries = []
    for obj, before in touched:
        after = audit.state_of(obj)
        if after != {**before, "version": after.get("version")}:
            entries.append(("update", kind, obj.id, before, after))
    audit.record_many(session, actor, entries)
