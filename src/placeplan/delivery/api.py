"""The delivery JSON API under /api/v1: the tracker and highlight report (signed in), the public
view of a published plan, and changing an action or recording its update for a period."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from placeplan.delivery import present, service
from placeplan.delivery.domain.updates import UpdateIn
from placeplan.delivery.present import (
    ActionChange,
    ActionSaved,
    ConfirmBody,
    HighlightOut,
    PublicViewOut,
    TrackerOut,
    TrackerPreviewOut,
    UpdateBody,
    UpdateSaved,
)
from placeplan.delivery.service.highlight import API_ANSWERS, reused
from placeplan.io.xlsx_guard import MAX_FILE_BYTES
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


async def workbook_bytes(request: Request) -> bytes:
    """The request's body, the workbook itself, read whatever its content type (so the asker's
    access is decided before the file is looked at); at most one byte over the size allowed."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FILE_BYTES:
            break
    return body


_XLSX_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            }
        },
    }
}
_STALE: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "The tracker changed since the preview (nothing written): `preview` holds"
        " the differences as they are now; confirm again with its `base`"
    }
}


@router.post(
    "/api/v1/plans/{plan_id}/delivery/tracker/preview",
    response_model=TrackerPreviewOut,
    openapi_extra=_XLSX_BODY,
)
def api_preview_tracker(
    plan_id: int,
    filename: str = "tracker.xlsx",
    content: bytes = Depends(workbook_bytes),
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """What a tracker workbook (the request body, as exported) would change, and its checks;
    nothing is written to the tracker. Confirm with the answer's `token` (null when nothing
    would change)."""
    preview = service.hold_tracker(session, asker.actor, plan_id, filename, content)
    return committed(session, preview).as_json()


@router.post(
    "/api/v1/plans/{plan_id}/delivery/tracker/confirm",
    response_model=TrackerPreviewOut,
    responses=_STALE,
)
def api_confirm_tracker(
    plan_id: int,
    body: ConfirmBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> Any:
    """Write exactly the differences of a preview; 409 with the new differences, writing
    nothing, when the tracker changed since."""
    try:
        done = service.confirm_tracker(session, asker.actor, plan_id, body.token, body.base)
    except service.StalePreview as exc:
        return stale_answer(exc.message, exc.preview.as_json() if exc.preview else None)
    return committed(session, done).as_json()


def stale_answer(message: str, preview: dict[str, Any] | None) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "current_version": 0, "changes": {}}, "preview": preview},
        status_code=409,
    )
