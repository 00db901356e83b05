"""The delivery JSON API under /api/v1: the tracker and highlight report (signed in), the public
view of a published plan, and changing an action or recording its update for a period."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.delivery import present, service
from placeplan.delivery.domain.updates import UpdateIn
from placeplan.delivery.present import (
    ActionChange,
    ActionSaved,
    HighlightOut,
    PublicViewOut,
    TrackerOut,
    UpdateBody,
    UpdateSaved,
)
from placeplan.delivery.service.highlight import API_ANSWERS, reused
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(tags=["delivery"])


@router.get("/api/v1/plans/{plan_id}/delivery", response_model=TrackerOut)
def api_tracker(
    plan_id: int,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    """The tracker (signed in only): every action with its latest ratings up to the period."""
    return present.tracker_json(plan_id, service.tracker(session, asker.actor, plan_id, period))


@router.get(
    "/api/v1/plans/{plan_id}/delivery/highlight",
    response_model=HighlightOut,
    response_class=Response,
    # The answer is JSON bytes reused while the tracker is unchanged; the model documents it.
    responses={200: {"model": HighlightOut, "content": {"application/json": {}}}},
)
def api_highlight(
    plan_id: int,
    period: str | None = None,
    body: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """The highlight report (signed in only); the period defaults to the latest with updates."""
    plan = service.internal_plan(session, asker.actor, plan_id)  # every time: the permission check

    def make() -> bytes:
        report = service.highlight(session, asker.actor, plan_id, period, body)
        return json.dumps(jsonable_encoder(report), separators=(",", ":")).encode()

    key = (period or None, body or None, plan.title, plan.status)
    return Response(reused(API_ANSWERS, session, plan_id, key, make), media_type="application/json")


@router.get("/api/v1/public/plans/{plan_id}", response_model=PublicViewOut)
def api_public(plan_id: int, session: Session = Depends(db)) -> dict[str, Any]:
    """A published plan's public view: Ambition / We will / By / I will with progress."""
    return service.public_view(session, plan_id)


@router.patch("/api/v1/delivery/actions/{action_id}", response_model=ActionSaved)
def api_update_action(
    action_id: int,
    body: ActionChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    action = committed(
        session, service.update_action(session, asker.actor, action_id, body.version, changes)
    )
    return {
        "id": action.id,
        "ref": action.ref,
        "stage": action.stage,
        "version": action.version,
        "url": present.action_url(action.plan_id, action.id),
    }


@router.put("/api/v1/delivery/actions/{action_id}/updates/{period}", response_model=UpdateSaved)
def api_record_update(
    action_id: int,
    period: str,
    body: UpdateBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    action = service.get_action(session, asker.actor, action_id)
    saved = committed(
        session,
        service.record_updates(
            session,
            asker.actor,
            action.plan_id,
            period,
            [UpdateIn(action_id, **body.model_dump())],
        ),
    )
    return {"action_id": action_id, "period": saved[0].period, "version": saved[0].version}
