"""The JSON API for systems and areas."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.areas import service
from placeplan.areas.present import (
    AreaOut,
    AreaWithPopulation,
    SystemOut,
    area_out,
    area_with_population,
    system_out,
)
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


@router.get("/api/v1/systems", response_model=list[SystemOut], tags=["areas"])
def api_systems(session: Session = Depends(db), asker: Who = Depends(who)) -> list[SystemOut]:
    return [system_out(s) for s in service.list_systems(session)]


@router.get("/api/v1/areas", response_model=list[AreaOut], tags=["areas"])
def api_areas(session: Session = Depends(db), asker: Who = Depends(who)) -> list[AreaOut]:
    return [area_out(a) for a in service.list_areas(session)]


@router.get("/api/v1/areas/{gss_code}", response_model=AreaWithPopulation, tags=["areas"])
def api_area(
    gss_code: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> AreaWithPopulation:
    return area_with_population(service.get_area(session, gss_code))


class AreaIn(BaseModel):
    gss_code: str
    name: str
    system: str | None = None
    registered_patients: int | None = None
    patients_in_most_deprived_20pct: int | None = None
    patients_source: str | None = None


@router.post("/api/v1/areas", response_model=AreaOut, status_code=201, tags=["areas"])
def api_create_area(
    body: AreaIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> AreaOut:
    area = committed(
        session,
        service.create_area(
            session,
            asker.actor,
            body.gss_code,
            body.name,
            body.system,
            body.registered_patients,
            body.patients_in_most_deprived_20pct,
            body.patients_source,
        ),
    )
    return area_out(area)


class AreaChange(BaseModel):
    version: int
    name: str | None = None
    registered_patients: int | None = None


@router.patch("/api/v1/areas/{gss_code}", response_model=AreaOut, tags=["areas"])
def api_update_area(
    gss_code: str,
    body: AreaChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> AreaOut:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    area = committed(
        session, service.update_area(session, asker.actor, gss_code, body.version, **changes)
    )
    return area_out(area)
