"""Pages for governance bodies."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.governance import service
from placeplan.governance.present import BODIES_CSV_HEADER, bodies_csv_rows
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/bodies", include_in_schema=False)
def bodies_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    bodies = service.list_bodies(session)
    if format == "csv":
        return csv_response("governance-bodies.csv", BODIES_CSV_HEADER, bodies_csv_rows(bodies))
    return render(request, "governance/bodies.html", asker, bodies=bodies)


@router.get("/bodies/{body_id}", response_class=HTMLResponse, include_in_schema=False)
def body_page(
    request: Request, body_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return render(request, "governance/body.html", asker, body=service.get_body(session, body_id))
