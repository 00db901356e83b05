"""Pages and API for governance bodies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.governance import service
from placeplan.governance.models import Body
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


def body_json(b: Body) -> dict[str, Any]:
    return {
        "id": b.id,
        "key": b.key,
        "name": b.name,
        "short_name": b.short_name,
        "area": b.area.gss_code if b.area else None,
        "system": b.system.code if b.system else None,
        "reports_to": b.reports_to_id,
        "members": [m.key for m in b.members],
        "may_approve": b.may_approve,
        "valid_from": b.valid_from.isoformat() if b.valid_from else None,
        "valid_to": b.valid_to.isoformat() if b.valid_to else None,
        "source": b.source,
        "version": b.version,
    }


@router.get("/bodies", include_in_schema=False)
def bodies_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    bodies = service.list_bodies(session)
    if format == "csv":
        return csv_response(
            "governance-bodies.csv",
            ["name", "short_name", "area", "reports_to", "may_approve", "valid_from", "valid_to"],
            [
                [
                    b.name,
                    b.short_name,
                    b.area.name if b.area else "",
                    b.reports_to.name if b.reports_to else "",
                    " ".join(b.may_approve),
                    b.valid_from or "",
                    b.valid_to or "",
                ]
                for b in bodies
            ],
        )
    return render(request, "bodies.html", asker, bodies=bodies)


@router.get("/bodies/{body_id}", response_class=HTMLResponse, include_in_schema=False)
def body_page(
    request: Request, body_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return render(request, "body.html", asker, body=service.get_body(session, body_id))


@router.get("/api/v1/bodies", tags=["governance"])
def api_bodies(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    return [body_json(b) for b in service.list_bodies(session)]


@router.get("/api/v1/bodies/{body_id}", tags=["governance"])
def api_body(
    body_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return body_json(service.get_body(session, body_id))
