"""Pages and API for organisations."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.governance.service import bodies_with_member
from placeplan.organisations import service
from placeplan.organisations.models import Organisation
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


def organisation_json(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.id,
        "key": o.key,
        "name": o.name,
        "kind": o.kind,
        "ods_code": o.ods_code,
        "system": o.system.code if o.system else None,
        "areas": [a.gss_code for a in o.areas],
        "valid_from": o.valid_from.isoformat() if o.valid_from else None,
        "valid_to": o.valid_to.isoformat() if o.valid_to else None,
        "source": o.source,
        "version": o.version,
    }


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
            "organisations.csv",
            ["name", "kind", "ods_code", "areas", "valid_from", "valid_to", "source"],
            [
                [
                    o.name,
                    o.kind,
                    o.ods_code or "",
                    " ".join(a.gss_code for a in o.areas),
                    o.valid_from or "",
                    o.valid_to or "",
                    o.source or "",
                ]
                for o in organisations
            ],
        )
    return render(request, "organisations.html", asker, organisations=organisations)


@router.get(
    "/organisations/{organisation_id}", response_class=HTMLResponse, include_in_schema=False
)
def organisation_page(
    request: Request,
    organisation_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    organisation = service.get_organisation(session, organisation_id)
    bodies = bodies_with_member(session, organisation.id)
    return render(request, "organisation.html", asker, organisation=organisation, bodies=bodies)


@router.get("/api/v1/organisations", tags=["organisations"])
def api_organisations(
    session: Session = Depends(db), asker: Who = Depends(who)
) -> list[dict[str, Any]]:
    return [organisation_json(o) for o in service.list_organisations(session)]


@router.get("/api/v1/organisations/{organisation_id}", tags=["organisations"])
def api_organisation(
    organisation_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return organisation_json(service.get_organisation(session, organisation_id))


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


@router.post("/api/v1/organisations", status_code=201, tags=["organisations"])
def api_create_organisation(
    body: OrganisationIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> dict[str, Any]:
    organisation = service.create_organisation(
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
    )
    commit(session)
    return organisation_json(organisation)
