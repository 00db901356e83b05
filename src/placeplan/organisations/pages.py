"""Pages for organisations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.organisations import service
from placeplan.organisations.present import ORGANISATIONS_CSV_HEADER, organisations_csv_rows
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/organisations", include_in_schema=False)
def organisations_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    organisations = service.list_organisations(session)
    if format == "csv":
        return csv_response(
            "organisations.csv", ORGANISATIONS_CSV_HEADER, organisations_csv_rows(organisations)
        )
    return render(request, "organisations/organisations.html", asker, organisations=organisations)


@router.get(
    "/organisations/{organisation_id}", response_class=HTMLResponse, include_in_schema=False
)
def organisation_page(
    request: Request,
    organisation_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    organisation, bodies = service.organisation_with_bodies(session, organisation_id)
    return render(
        request, "organisations/organisation.html", asker, organisation=organisation, bodies=bodies
    )
