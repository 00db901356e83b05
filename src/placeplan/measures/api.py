"""The measures' JSON API under /api/v1: the catalogue, a metric's figures and breakdowns in an
area, the board, measurement imports and commentary. Every route declares its response model
(`placeplan.measures.present.schemas`); what a client may see is the service's to decide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from placeplan.measures.domain.commentary import MAX_CHARACTERS
from placeplan.measures.present.schemas import (
    BoardRowOut,
    BreakdownsOut,
    CommentariesOut,
    CommentaryOut,
    ConfirmIn,
    ImportedOut,
    MeasurementsIn,
    MeasuresPreviewOut,
    MetricFiguresOut,
    MetricOut,
    board_out,
    breakdowns_out,
    commentaries_out,
    commentary_out,
    metric_figures_out,
    metric_out,
)
from placeplan.measures.service import (
    StalePreview,
    board,
    confirm_measurements,
    hold_measurements,
    list_metrics,
    metric_view,
    preview_rows,
    write_rows,
)
from placeplan.measures.service.breakdowns import breakdowns_view
from placeplan.measures.service.commentary import readable_commentary, set_commentary_of
from placeplan.measures.service.previews import API_ROWS, api_content
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1", tags=["metrics"])


@router.get("/metrics", response_model=list[MetricOut])
def api_metrics(session: Session = Depends(db), asker: Who = Depends(who)) -> list[MetricOut]:
    return [metric_out(m) for m in list_metrics(session)]


@router.get(
    "/areas/{gss_code}/metrics/{key}",
    response_model=MetricFiguresOut,
    response_model_exclude_unset=True,
)
def api_metric(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> MetricFiguresOut:
    return metric_figures_out(metric_view(session, asker.actor, gss_code, key))


@router.get(
    "/areas/{gss_code}/metrics/{key}/breakdowns",
    response_model=BreakdownsOut,
    response_model_exclude_unset=True,
)
def api_breakdowns(
    gss_code: str,
    key: str,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> BreakdownsOut:
    view = breakdowns_view(session, asker.actor, gss_code, key, period)
    return breakdowns_out(gss_code, key, view.found)


@router.get("/board", response_model=list[BoardRowOut])
def api_board(session: Session = Depends(db), asker: Who = Depends(who)) -> list[BoardRowOut]:
    return board_out(board(session, actor=asker.actor))


@router.post("/metrics/{key}/measurements", status_code=201, response_model=ImportedOut)
def api_import(
    key: str,
    body: MeasurementsIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> ImportedOut:
    """Import at once (for scripts): new measurements are added, changed ones updated in place,
    those already stored as they are left be. The preview/confirm pair below shows first."""
    rows = list(enumerate(body.rows, start=1))
    checked, preview = preview_rows(session, asker.actor, key, rows, None, body.source)
    write_rows(session, asker.actor, checked)
    return committed(
        session,
        ImportedOut(
            metric=key,
            imported=checked.written,
            added=len(checked.adds),
            changed=len(checked.updates),
            unchanged=len(checked.unchanged),
            summary=preview.summary(),
        ),
    )


@router.post("/metrics/{key}/measurements/preview", response_model=MeasuresPreviewOut)
def api_preview_import(
    key: str,
    body: MeasurementsIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """What the rows would change (measurements added and changed) and the checks; nothing is
    written. Confirm with the answer's `token` (null when nothing would change)."""
    content = api_content(body.rows, body.source)
    preview = hold_measurements(session, asker.actor, key, API_ROWS, content)
    return committed(session, preview).as_json()


@router.post(
    "/metrics/{key}/measurements/confirm",
    response_model=MeasuresPreviewOut,
    responses={
        409: {
            "description": "The measures changed since the preview (nothing written):"
            " `preview` holds the differences as they are now; confirm again with its `base`"
        }
    },
)
def api_confirm_import(
    key: str,
    body: ConfirmIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> Any:
    """Write exactly a preview's differences; 409 with the new differences, writing nothing,
    when the measures changed since."""
    try:
        done = confirm_measurements(session, asker.actor, key, body.token, body.base)
    except StalePreview as exc:
        preview = exc.preview.as_json() if exc.preview else None
        return JSONResponse(
            {
                "error": {"message": exc.message, "current_version": 0, "changes": {}},
                "preview": preview,
            },
            status_code=409,
        )
    return committed(session, done).as_json()


@router.get("/areas/{gss_code}/metrics/{key}/commentary", response_model=CommentariesOut)
def api_commentary(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> CommentariesOut:
    """Commentary by period; signed-out clients get the public notes only."""
    notes = readable_commentary(session, asker.actor, gss_code, key)
    return commentaries_out(gss_code, key, notes, asker.actor)


class CommentaryIn(BaseModel):
    text: str = Field(max_length=MAX_CHARACTERS * 2)
    public: bool = False
    version: int = Field(
        description="The note's version you started from: 0 for a period with no note yet"
    )


@router.put("/areas/{gss_code}/metrics/{key}/commentary/{period}", response_model=CommentaryOut)
def api_set_commentary(
    gss_code: str,
    key: str,
    period: str,
    body: CommentaryIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> CommentaryOut:
    note = committed(
        session,
        set_commentary_of(
            session,
            asker.actor,
            gss_code,
            key,
            period,
            body.text,
            public=body.public,
            version=body.version,
        ),
    )
    return commentary_out(gss_code, key, note)
