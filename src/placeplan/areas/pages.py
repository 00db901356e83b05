"""Pages for the system's areas."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.areas import service
from placeplan.areas.present import AREAS_CSV_HEADER, areas_csv_rows, population_table
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/areas", include_in_schema=False)
def areas_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    areas = service.list_areas(session)
    if format == "csv":
        return csv_response("areas.csv", AREAS_CSV_HEADER, areas_csv_rows(areas))
    return render(request, "areas/areas.html", asker, areas=areas)


@router.get("/areas/{gss_code}", response_class=HTMLResponse, include_in_schema=False)
def area_page(
    request: Request, gss_code: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    found = service.overview(session, asker.actor, gss_code)
    return render(
        request,
        "areas/area.html",
        asker,
        area=found.area,
        population=population_table(found.area),
        organisations=found.organisations,
        plans=found.plans,
        metrics=found.metrics,
    )
