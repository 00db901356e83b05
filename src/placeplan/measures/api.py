"""The measures' JSON API under /api/v1: the catalogue, a metric's figures and breakdowns in an
area, the board, measurement imports, commentary, and what people record on a chart
(recalculations, annotations, the fixed baseline). Every route declares its response model
(`placeplan.measures.present.schemas`); what a client may see is the service's to decide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from placeplan.core.permissions import can_read_unpublished
from placeplan.measures.domain.commentary import MAX_CHARACTERS
from placeplan.measures.present.chart_marks import (
    AnnotationOut,
    BaselineOut,
    ChartMarksOut,
    RebaseOut,
    RemovedOut,
    annotation_out,
    baseline_out,
    chart_marks_out,
    rebase_out,
)
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
    spc_marks,
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


# ---- what people record on a chart: recalculations, annotations and the fixed baseline ----------
# Each is changed and removed from the version the client read (409 with what moved otherwise);
# a recalculation's removal needs its reason, which the audit keeps.

_CHART = "/areas/{gss_code}/metrics/{key}"


class RebaseIn(BaseModel):
    period: str = Field(description="the first period of the recalculated limits, e.g. 2025-01")
    reason: str = Field(description="the change in the process: at most 2,000 characters")


class RebaseChangeIn(BaseModel):
    period: str | None = None
    reason: str | None = None
    version: int = Field(description="the version read: a stale one is refused (409)")


class AnnotationIn(BaseModel):
    period: str
    text: str = Field(description="the intervention or change: at most 300 characters")


class AnnotationChangeIn(BaseModel):
    period: str | None = None
    text: str | None = None
    version: int = Field(description="the version read: a stale one is refused (409)")


class BaselineIn(BaseModel):
    points: int | None = Field(
        description="at least 12; null to work the limits out from every point"
    )
    version: int = Field(description="the version read: 0 when there is no baseline yet")


def _given(body: BaseModel, *names: str) -> dict[str, str]:
    return {n: v for n in names if (v := getattr(body, n)) is not None}


@router.get(f"{_CHART}/chart-marks", response_model=ChartMarksOut)
def api_chart_marks(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> ChartMarksOut:
    """The chart's recalculations, annotations and baseline (drawn on the public chart)."""
    _metric, _area, marks = spc_marks.chart_marks(session, gss_code, key)
    return chart_marks_out(gss_code, key, marks, can_read_unpublished(asker.actor))


@router.get(f"{_CHART}/rebases", response_model=list[RebaseOut])
def api_rebases(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[RebaseOut]:
    _metric, _area, marks = spc_marks.chart_marks(session, gss_code, key)
    internal = can_read_unpublished(asker.actor)
    return [rebase_out(gss_code, key, r, internal) for r in marks.rebases]


@router.post(f"{_CHART}/rebases", status_code=201, response_model=RebaseOut)
def api_add_rebase(
    gss_code: str,
    key: str,
    body: RebaseIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> RebaseOut:
    added = spc_marks.add_rebase(session, asker.actor, gss_code, key, body.period, body.reason)
    return rebase_out(gss_code, key, committed(session, added))


@router.patch(f"{_CHART}/rebases/{{rebase_id}}", response_model=RebaseOut)
def api_change_rebase(
    gss_code: str,
    key: str,
    rebase_id: int,
    body: RebaseChangeIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> RebaseOut:
    changes = _given(body, "period", "reason")
    changed = spc_marks.change_rebase(
        session, asker.actor, gss_code, key, rebase_id, changes, body.version
    )
    return rebase_out(gss_code, key, committed(session, changed))


@router.delete(f"{_CHART}/rebases/{{rebase_id}}", response_model=RemovedOut)
def api_remove_rebase(
    gss_code: str,
    key: str,
    rebase_id: int,
    version: int,
    reason: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> RemovedOut:
    """Remove a recalculation for `reason` (required; kept in the audit)."""
    spc_marks.remove_rebase(session, asker.actor, gss_code, key, rebase_id, reason, version)
    return committed(session, RemovedOut(removed=rebase_id, area_code=gss_code, metric=key))


@router.get(f"{_CHART}/annotations", response_model=list[AnnotationOut])
def api_annotations(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[AnnotationOut]:
    _metric, _area, marks = spc_marks.chart_marks(session, gss_code, key)
    internal = can_read_unpublished(asker.actor)
    return [annotation_out(gss_code, key, a, internal) for a in marks.annotations]


@router.post(f"{_CHART}/annotations", status_code=201, response_model=AnnotationOut)
def api_add_annotation(
    gss_code: str,
    key: str,
    body: AnnotationIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> AnnotationOut:
    added = spc_marks.add_annotation(session, asker.actor, gss_code, key, body.period, body.text)
    return annotation_out(gss_code, key, committed(session, added))


@router.patch(f"{_CHART}/annotations/{{annotation_id}}", response_model=AnnotationOut)
def api_change_annotation(
    gss_code: str,
    key: str,
    annotation_id: int,
    body: AnnotationChangeIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> AnnotationOut:
    changes = _given(body, "period", "text")
    changed = spc_marks.change_annotation(
        session, asker.actor, gss_code, key, annotation_id, changes, body.version
    )
    return annotation_out(gss_code, key, committed(session, changed))


@router.delete(f"{_CHART}/annotations/{{annotation_id}}", response_model=RemovedOut)
def api_remove_annotation(
    gss_code: str,
    key: str,
    annotation_id: int,
    version: int,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> RemovedOut:
    spc_marks.remove_annotation(session, asker.actor, gss_code, key, annotation_id, version)
    return committed(session, RemovedOut(removed=annotation_id, area_code=gss_code, metric=key))


@router.get(f"{_CHART}/baseline", response_model=BaselineOut)
def api_baseline(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> BaselineOut:
    _metric, _area, marks = spc_marks.chart_marks(session, gss_code, key)
    return baseline_out(gss_code, key, marks.baseline_points, marks.setting_version)


@router.put(f"{_CHART}/baseline", response_model=BaselineOut)
def api_set_baseline(
    gss_code: str,
    key: str,
    body: BaselineIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> BaselineOut:
    """Fix the limits on the first `points` points (null: on every point)."""
    setting = spc_marks.set_baseline(session, asker.actor, gss_code, key, body.points, body.version)
    committed(session, setting)
    return baseline_out(
        gss_code,
        key,
        setting.baseline_points if setting else None,
        setting.version if setting else None,
    )


@router.delete(f"{_CHART}/baseline", response_model=BaselineOut)
def api_remove_baseline(
    gss_code: str,
    key: str,
    version: int,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> BaselineOut:
    """Work the limits out from every point again."""
    setting = spc_marks.set_baseline(session, asker.actor, gss_code, key, None, version)
    committed(session, setting)
    return baseline_out(gss_code, key, None, setting.version if setting else None)
