"""The audit history page and its CSV."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.audit import service
from placeplan.audit.present import AUDIT_CSV_HEADER, audit_csv_rows, changes_of
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/audit", include_in_schema=False)
def audit_page(
    request: Request,
    entity: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    events = service.events(session, asker.actor, entity)
    if format == "csv":
        return csv_response("audit.csv", AUDIT_CSV_HEADER, audit_csv_rows(events))
    return render(request, "audit.html", asker, events=events, entity=entity, changes_of=changes_of)
