"""The audit history of any record, as a page, a CSV and JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.core.permissions import can_read_audit
from placeplan.store import audit
from placeplan.store.audit import event_json, parse_entity
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


def _events(session: Session, asker: Who, entity: str | None) -> list[audit.AuditEvent]:
    if not can_read_audit(asker.actor):
        raise HTTPException(status_code=401, detail="sign in to read the audit history")
    kind, ident = parse_entity(entity)
    return audit.history(session, kind, ident)


def changes_of(e: audit.AuditEvent) -> list[tuple[str, Any, Any]]:
    before, after = e.before or {}, e.after or {}
    return [
        (k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k) and k != "version"
    ]


@router.get("/audit", include_in_schema=False)
def audit_page(
    request: Request,
    entity: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    events = _events(session, asker, entity)
    if format == "csv":
        return csv_response(
            "audit.csv",
            [
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
            ],
            [
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
            ],
        )
    return render(request, "audit.html", asker, events=events, entity=entity, changes_of=changes_of)


@router.get("/api/v1/audit", tags=["audit"])
def api_audit(
    entity: str | None = None, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[dict[str, Any]]:
    return [event_json(e) for e in _events(session, asker, entity)]
