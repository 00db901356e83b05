"""The measures' JSON API under /api/v1: the catalogue, a metric's figures and breakdowns in an
area, the board, measurement imports and commentary. Every route declares its response model
(`placeplan.measures.present.schemas`); what a client may see is the service's to decide."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from placeplan.measures.domain.commentary import MAX_CHARACTERS
from placeplan.measures.present.schemas import (
    BoardRowOut,
    BreakdownsOut,
    CommentariesOut,
    CommentaryOut,
    ImportedOut,
    MeasurementsIn,
    MetricFiguresOut,
    MetricOut,
    board_out,
    breakdowns_out,
    commentaries_out,
    commentary_out,
    metric_figures_out,
    metric_out,
)
from placeplan.measures.service import board, import_rows, list_metrics, metric_view
from placeplan.measures.service.breakdowns import breakdowns_view
from placeplan.measures.service.commentary import readable_commentary, set_commentary_of
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
    count = committed(
        session,
        import_rows(
            session, asker.actor, key, list(enumerate(body.rows, start=1)), source=body.source
        ),
    )
    return ImportedOut(metric=key, imported=count)


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
    version: int | None = None


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
