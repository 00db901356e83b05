"""The audit history as JSON: each event's stored before and after, with the readable form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from placeplan.audit import service
from placeplan.audit.present import AuditEventOut, event_out
from placeplan.web.context import Who, db, who

router = APIRouter()


@router.get("/api/v1/audit", response_model=list[AuditEventOut], tags=["audit"])
def api_audit(
    entity: str | None = None,
    plan: str | None = None,
    kind: str | None = None,
    person: str | None = None,
    start: str | None = Query(None, alias="from", description="first day, YYYY-MM-DD (UK)"),
    end: str | None = Query(None, alias="to", description="last day, YYYY-MM-DD (UK)"),
    action: str | None = None,
    limit: int = 500,
    offset: int = 0,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> list[AuditEventOut]:
    """Events newest first: `entity` one record (KIND:ID), `plan` a plan and its records, `kind`
    a kind of record, `person` who made them, `action` one user action's id."""
    filters = service.filters_from(
        plan=plan, kind=kind, person=person, start=start, end=end, entity=entity, action=action
    )
    listing = service.listing(session, asker.actor, filters, limit, offset)
    return [event_out(e, listing) for e in listing.events]
