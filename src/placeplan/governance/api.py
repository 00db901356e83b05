"""The JSON API for governance bodies."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from placeplan.governance import service
from placeplan.governance.present import BodyOut, body_out
from placeplan.web.context import Who, db, who

router = APIRouter()


@router.get("/api/v1/bodies", response_model=list[BodyOut], tags=["governance"])
def api_bodies(session: Session = Depends(db), asker: Who = Depends(who)) -> list[BodyOut]:
    return [body_out(b) for b in service.list_bodies(session)]


@router.get("/api/v1/bodies/{body_id}", response_model=BodyOut, tags=["governance"])
def api_body(body_id: int, session: Session = Depends(db), asker: Who = Depends(who)) -> BodyOut:
    return body_out(service.get_body(session, body_id))
