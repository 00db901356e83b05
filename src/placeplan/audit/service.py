"""Reading the audit history, for those who may."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import SignInNeeded
from placeplan.core.permissions import can_read_audit
from placeplan.store import audit


def events(
    session: Session, actor: Actor, entity: str | None, limit: int = 500
) -> list[audit.AuditEvent]:
    """The events of one record (`kind:id`), or the latest `limit` of all, newest first; signed-in
    people (and the operator) only."""
    if not can_read_audit(actor):
        raise SignInNeeded("sign in to read the audit history")
    kind, ident = audit.parse_entity(entity)
    return audit.history(session, kind, ident, limit=limit)
