"""The audit history page and its CSV: a user action an entry, in the record's language."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.audit import service
from placeplan.audit.present import AUDIT_CSV_HEADER, audit_csv_rows, entries, link, short
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/audit", include_in_schema=False)
def audit_page(
    request: Request,
    plan: str | None = None,
    kind: str | None = None,
    person: str | None = None,
    start: str | None = Query(None, alias="from"),
    end: str | None = Query(None, alias="to"),
    entity: str | None = None,
    action: str | None = None,
    page: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    filters = service.filters_from(
        plan=plan, kind=kind, person=person, start=start, end=end, entity=entity, action=action
    )
    if format == "csv":
        everything = service.read_all(session, asker.actor, filters)
        return csv_response("audit.csv", AUDIT_CSV_HEADER, audit_csv_rows(everything))
    reading = service.read(session, asker.actor, filters, service.page_number(page))
    return render(
        request,
        "audit.html",
        asker,
        reading=reading,
        entries=entries(reading),
        filters=filters,
        link=link,
        short=short,
    )
