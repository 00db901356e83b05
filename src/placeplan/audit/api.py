"""The audit history as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from placeplan.audit import service
from placeplan.audit.present import AuditEventOut, event_out
from placeplan.web.context import Who, db, who

router = APIRouter()


@router.get("/api/v1/audit", response_model=list[AuditEventOut], tags=["audit"])
def api_audit(
    entity: str | None = None, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[AuditEventOut]:
    return [event_out(e) for e in service.events(session, asker.actor, entity)]
