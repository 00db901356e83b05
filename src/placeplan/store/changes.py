"""Write helpers that keep every change and its audit row together."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from placeplan.store import audit
from placeplan.store.actor import Actor


class Identified(Protocol):
    id: Any


T = TypeVar("T", bound=Identified)


def add_recorded(session: Session, actor: Actor, kind: str, obj: T, action: str = "create") -> T:
    session.add(obj)
    session.flush()
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
    session.flush()
    audit.record(session, actor, action, kind, obj.id, before, audit.state_of(obj))
    return obj
