"""Pages and API for the system and its areas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.areas import service
from placeplan.areas.models import Area
from placeplan.areas.rules import population_aged
from placeplan.measures.service import metrics_with_data
from placeplan.organisations.service import list_organisations, organisations_in_area
from placeplan.plans.service import list_plans, period_of
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


def population_table(area: Area) -> dict[int, dict[str, Any]]:
    """Per year: the bands, the total, the 65+ count, and whether any figure is illustrative."""
    years: dict[int, dict[str, Any]] = {}
    for row in area.populations:
        year = years.setdefault(
            row.year, {"bands": {}, "illustrative": False, "source": row.source}
        )
        year["bands"][row.age_band] = row.population
        year["illustrative"] = year["illustrative"] or row.illustrative
    for year in years.values():
        year["total"] = sum(year["bands"].values())
        year["aged_65_plus"] = population_aged(year["bands"], 65)
    return years


def area_json(area: Area, with_population: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": area.id,
        "gss_code": area.gss_code,
        "name": area.name,
        "kind": area.kind,
        "system": area.system.code if area.system else None,
        "registered_patients": area.registered_patients,
        "patients_in_most_deprived_20pct": area.patients_in_most_deprived_20pct,
        "patients_source": area.patients_source,
        "version": area.version,
    }
    if with_population:
        body["population"] = {str(y): v for y, v in population_table(area).items()}
    return body


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: Session = Depends(db), asker: Who = Depends(who)) -> Response:
    systems = service.list_systems(session)
    return render(
        request,
        "home.html",
        asker,
        systems=systems,
        plans=list_plans(session, asker.actor),
        organisations=list_organisations(session),
        period_of=period_of,
    )


@router.get("/areas", include_in_schema=False)
def areas_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    areas = service.list_areas(session)
    if format == "csv":
        return csv_response(
            "areas.csv",
            [
                "gss_code",
                "name",
                "kind",
                "system",
                "registered_patients",
                "patients_in_most_deprived_20pct",
                "source",
            ],
            [
                [
                    a.gss_code,
                    a.name,
                    a.kind,
                    a.system.code if a.system else "",
                    a.registered_patients,
                    a.patients_in_most_deprived_20pct,
                    a.patients_source,
                ]
                for a in areas
            ],
        )
    return render(request, "areas.html", asker, areas=areas)


@router.get("/areas/{gss_code}", response_class=HTMLResponse, include_in_schema=False)
def area_page(
    request: Request, gss_code: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    area = service.get_area(session, gss_code)
    organisations = organisations_in_area(session, area.id)
    return render(
        request,
        "area.html",
        asker,
        area=area,
        population=population_table(area),
        organisations=organisations,
        plans=list_plans(session, asker.actor, area_id=area.id),
        metrics=metrics_with_data(session, area.id),
        period_of=period_of,
    )


@router.get("/api/v1/systems", tags=["areas"])
def api_systems(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "name": s.name, "areas": [a.gss_code for a in s.areas]}
        for s in service.list_systems(session)
    ]


@router.get("/api/v1/areas", tags=["areas"])
def api_areas(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    return [area_json(a) for a in service.list_areas(session)]


@router.get("/api/v1/areas/{gss_code}", tags=["areas"])
def api_area(
    gss_code: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return area_json(service.get_area(session, gss_code), with_population=True)


class AreaIn(BaseModel):
    gss_code: str
    name: str
    system: str | None = None
    registered_patients: int | None = None
    patients_in_most_deprived_20pct: int | None = None
    patients_source: str | None = None


@router.post("/api/v1/areas", status_code=201, tags=["areas"])
def api_create_area(
    body: AreaIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> dict[str, Any]:
    area = service.create_area(
        session,
        asker.actor,
        body.gss_code,
        body.name,
        body.system,
        body.registered_patients,
        body.patients_in_most_deprived_20pct,
        body.patients_source,
    )
    commit(session)
    return area_json(area)


class AreaChange(BaseModel):
    version: int
    name: str | None = None
    registered_patients: int | None = None


@router.patch("/api/v1/areas/{gss_code}", tags=["areas"])
def api_update_area(
    gss_code: str,
    body: AreaChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    area = service.update_area(session, asker.actor, gss_code, body.version, **changes)
    commit(session)
    return area_json(area)
