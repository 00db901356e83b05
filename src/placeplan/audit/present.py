"""How audit events read: field by field on the page and in CSV, whole in JSON."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.store.audit import AuditEvent


class AuditEventOut(BaseModel):
    id: int
    action_id: str
    at: str
    actor: str
    via: str
    action: str
    entity: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def event_out(e: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        id=e.id,
        action_id=e.action_id,
        at=e.at.isoformat(),
        actor=e.actor,
        via=e.via,
        action=e.action,
        entity=f"{e.entity_kind}:{e.entity_id}",
        before=e.before,
        after=e.after,
    )


def changes_of(e: AuditEvent) -> list[tuple[str, Any, Any]]:
    """Each field the event changed: (field, before, after); the version's bump left out."""
    before, after = e.before or {}, e.after or {}
    return [
        (k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k) and k != "version"
    ]


AUDIT_CSV_HEADER = [
    "id",
    "action_id",
    "at",
    "actor",
    "via",
    "action",
    "entity",
    "field",
    "before",
    "after",
]


def audit_csv_rows(events: list[AuditEvent]) -> list[list[Any]]:
    return [
        [
            e.id,
            e.action_id,
            e.at.isoformat(),
            e.actor,
            e.via,
            e.action,
            f"{e.entity_kind}:{e.entity_id}",
            field,
            old,
            new,
        ]
        for e in events
        for field, old, new in changes_of(e)
    ]
