"""The JSON API for organisations."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.organisations import service
from placeplan.organisations.present import OrganisationOut, organisation_out
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


@router.get("/api/v1/organisations", response_model=list[OrganisationOut], tags=["organisations"])
def api_organisations(
    session: Session = Depends(db), asker: Who = Depends(who)
) -> list[OrganisationOut]:
    return [organisation_out(o) for o in service.list_organisations(session)]


@router.get(
    "/api/v1/organisations/{organisation_id}",
    response_model=OrganisationOut,
    tags=["organisations"],
)
def api_organisation(
    organisation_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> OrganisationOut:
    return organisation_out(service.get_organisation(session, organisation_id))


class OrganisationIn(BaseModel):
    key: str
    name: str
    kind: str
    ods_code: str | None = None
    areas: list[str] = []
    system: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    source: str | None = None


@router.post(
    "/api/v1/organisations", response_model=OrganisationOut, status_code=201, tags=["organisations"]
)
def api_create_organisation(
    body: OrganisationIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> OrganisationOut:
    organisation = committed(
        session,
        service.create_organisation(
            session,
            asker.actor,
            body.key,
            body.name,
            body.kind,
            body.ods_code,
            body.areas,
            body.system,
            body.valid_from,
            body.valid_to,
            body.source,
        ),
    )
    return organisation_out(organisation)
