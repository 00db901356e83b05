"""Who is asking, and personal API tokens, as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.people import service
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


class MeOut(BaseModel):
    signed_in: bool
    username: str | None = None
    display_name: str | None = None
    role: str | None = None
    organisation: str | None = None
    csrf_token: str | None = None


class NewTokenOut(BaseModel):
    id: int
    name: str
    token: str


class RevokedTokenOut(BaseModel):
    id: int
    revoked_at: str | None


# Signed out, the answer is just {"signed_in": false}: unset fields are left out.
@router.get("/api/v1/me", response_model=MeOut, response_model_exclude_unset=True, tags=["people"])
def api_me(asker: Who = Depends(who)) -> MeOut:
    p = asker.actor.principal
    if p is None:
        return MeOut(signed_in=False)
    return MeOut(
        signed_in=True,
        username=p.username,
        display_name=p.display_name,
        role=p.role,
        organisation=p.organisation_name,
        csrf_token=asker.csrf_token or None,
    )


class TokenIn(BaseModel):
    name: str


@router.post("/api/v1/tokens", response_model=NewTokenOut, status_code=201, tags=["people"])
def api_create_token(
    body: TokenIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> NewTokenOut:
    token, record = committed(session, service.create_token(session, asker.actor, body.name))
    return NewTokenOut(id=record.id, name=record.name, token=token)


@router.delete("/api/v1/tokens/{token_id}", response_model=RevokedTokenOut, tags=["people"])
def api_revoke_token(
    token_id: int, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> RevokedTokenOut:
    record = committed(session, service.revoke_token(session, asker.actor, token_id))
    return RevokedTokenOut(
        id=record.id, revoked_at=record.revoked_at.isoformat() if record.revoked_at else None
    )
