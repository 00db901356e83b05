"""The measures' pages: the catalogue, a metric's SPC chart in an area and its breakdowns, the
board of every measure at a glance, a plan's metrics, the commentary form, and uploading
measurements (previewed, then confirmed). Each route parses,
makes one service call, shapes and renders; what a reader may see is the service's to decide."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from placeplan.core.errors import Conflict, InputError
from placeplan.io.xlsx_guard import MAX_FILE_BYTES
from placeplan.measures.domain.breakdowns import cells
from placeplan.measures.domain.differences import count_text
from placeplan.measures.domain.frequency import OTHER_FIGURES_NOTE
from placeplan.measures.domain.spc_scale import period_label, shown
from placeplan.measures.domain.suppression import COMPLEMENTARY, label_for
from placeplan.measures.models import Metric
from placeplan.measures.present import csv_rows
from placeplan.measures.present.board_view import SUMMARY_HEADER, summary_csv, summary_rows
from placeplan.measures.present.breakdown_svg import render_bars
from placeplan.measures.present.labels import (
    ASSURANCE,
    STANDING_COLOUR,
    SUPPRESSED,
    UNIT_SUFFIX,
    VARIATION,
)
from placeplan.measures.present.spc_icons import assurance_icon, variation_icon, variation_text
from placeplan.measures.present.spc_svg import POINT_TEXT
from placeplan.measures.present.spc_view import (
    chart_notes,
    chart_places,
    chart_svg,
    other_figures,
)
from placeplan.measures.service import (
    STANDING,
    MeasuresPreview,
    StalePreview,
    board_view,
    confirm_measurements,
    hold_measurements,
    import_metric,
    list_metrics,
    metric_view,
)
from placeplan.measures.service.breakdowns import breakdowns_view
from placeplan.measures.service.commentary import (
    CommentaryForm,
    commentary_form,
    refill_form,
    set_commentary_of,
)
from placeplan.measures.service.plans import plan_ambitions, plan_measures_page
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, committed, form_text, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


@router.get("/metrics", response_class=HTMLResponse)
def metrics_page(
    request: Request, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return render(
        request,
        "measures/metrics.html",
        asker,
        metrics=list_metrics(session),
        units=UNIT_SUFFIX,
    )


@router.get("/areas/{gss_code}/metrics/{key}")
def metric_page(
    request: Request,
    gss_code: str,
    key: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    view = metric_view(session, asker.actor, gss_code, key)
    if format == "csv":
        return csv_response(
            f"{gss_code}-{key}.csv", csv_rows.METRIC_HEADER, csv_rows.metric_rows(view)
        )
    metric, area, spc = view.metric, view.area, view.spc
    return render(
        request,
        "measures/metric.html",
        asker,
        area=area,
        metric=metric,
        rows=view.rows,
        types={p.period: p for p in spc.points} if spc else {},
        # The chart's points and limits would give a withheld figure back, so the public sees
        # the variation and assurance but not the chart while any figure is withheld.
        svg=chart_svg(view, UNIT_SUFFIX[metric.unit]) if spc and not view.points_withheld else None,
        spc=spc,
        places=chart_places(view),
        others=other_figures(view, UNIT_SUFFIX[metric.unit]) if spc else [],
        others_note=OTHER_FIGURES_NOTE,
        point_text=POINT_TEXT,
        variation_text=variation_text,
        variation_icon=variation_icon,
        assurance_icon=assurance_icon,
        shown=shown,
        period_label=period_label,
        marks=view.marks,
        notes_on_chart=chart_notes(view),
        interventions=view.interventions,
        can_mark=view.can_mark,
        ambitions=view.ambitions,
        units=UNIT_SUFFIX,
        variation=VARIATION,
        assurance=ASSURANCE,
        withheld=set(view.withheld),
        small=view.small,
        suppressed=SUPPRESSED,
        complementary=COMPLEMENTARY,
        withheld_label=label_for,
        signed_in=view.signed_in,
        targets=view.targets,
        standing=view.standing,
        standing_text=STANDING,
        standing_colour=STANDING_COLOUR,
        has_breakdowns=view.has_breakdowns,
        notes=view.notes,
        can_comment=view.can_comment,
    )


@router.get("/areas/{gss_code}/metrics/{key}/breakdowns")
def breakdowns_page(
    request: Request,
    gss_code: str,
    key: str,
    period: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    view = breakdowns_view(session, asker.actor, gss_code, key, period)
    found, metric, area = view.found, view.metric, view.area
    if format == "csv":
        return csv_response(
            f"{gss_code}-{key}-breakdowns-{found.period or 'none'}.csv",
            csv_rows.BREAKDOWNS_HEADER,
            csv_rows.breakdown_rows(gss_code, found),
        )
    charts = {
        t.kind: render_bars(
            t.figures,
            f"{metric.name} by {t.title.split(':')[0].lower()}, {area.name}, {found.period}",
            f"chart-{t.kind}",
            total=found.total.value if found.total and not found.total.withheld else None,
            unit=UNIT_SUFFIX[metric.unit],
        )
        for t in found.tables
    }
    return render(
        request,
        "measures/metric_breakdowns.html",
        asker,
        area=area,
        metric=metric,
        found=found,
        charts=charts,
        sources=list(dict.fromkeys(f.source for _, f in cells(found) if f.source)),
        units=UNIT_SUFFIX,
        suppressed=SUPPRESSED,
        complementary=COMPLEMENTARY,
        withheld_label=label_for,
        signed_in=view.signed_in,
    )


@router.get("/board")
def board_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
    system: str | None = None,
    area: str | None = None,
    metric: str | None = None,
) -> Response:
    view = board_view(session, asker.actor, system, area, metric)
    if format == "csv":
        return csv_response("board-summary.csv", SUMMARY_HEADER, summary_csv(view.rows))
    return render(
        request,
        "measures/board.html",
        asker,
        view=view,
        rows=summary_rows(view.rows),
        period_label=period_label,
        standing_text=STANDING,
        standing_colour=STANDING_COLOUR,
    )


@router.get("/plans/{plan_id}/metrics", response_class=HTMLResponse)
def plan_metrics_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if format == "csv":
        measures = plan_ambitions(session, asker.actor, plan_id)
        return csv_response(
            f"plan-{measures.plan.id}-ambitions.csv",
            csv_rows.PLAN_HEADER,
            csv_rows.plan_rows(measures),
        )
    page = plan_measures_page(session, asker.actor, plan_id)
    return render(
        request,
        "measures/plan_metrics.html",
        asker,
        plan=page.measures.plan,
        ambitions=page.measures.ambitions,
        progress=page.measures.progress,
        shown=csv_rows.shown_values(page.measures),
        figure=count_text,
        standing_text=STANDING,
        standing_colour=STANDING_COLOUR,
        schemes=page.schemes,
        metrics=page.metrics,
        units=UNIT_SUFFIX,
        predicted=page.predicted,
    )


def _commentary_page(
    request: Request,
    asker: Who,
    form: CommentaryForm,
    status: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "measures/metric_commentary.html",
        asker,
        status_code=status,
        metric=form.metric,
        area=form.area,
        periods=form.periods,
        chosen=form.chosen,
        note=form.note,
        error=error,
        conflict=conflict,
        typed=typed,
    )


@router.get("/areas/{gss_code}/metrics/{key}/commentary")
def commentary_page(
    request: Request,
    gss_code: str,
    key: str,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _commentary_page(
        request, asker, commentary_form(session, asker.actor, gss_code, key, period)
    )


@router.post("/areas/{gss_code}/metrics/{key}/commentary")
def commentary_submit(
    request: Request,
    gss_code: str,
    key: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "period", "text", "public", "version")

    def again(exc: Refused, status: int) -> Response:
        return _commentary_page(
            request,
            asker,
            refill_form(session, gss_code, key, typed["period"]),
            status,
            typed=typed,
            **refusal(exc),
        )

    return save(
        session,
        lambda: set_commentary_of(
            session,
            asker.actor,
            gss_code,
            key,
            typed["period"],
            typed["text"],
            public=typed["public"] == "yes",
            version=required_version(form),
        ),
        then=f"/areas/{gss_code}/metrics/{key}#figures",
        again=again,
    )


# ---- uploading measurements: preview, then confirm


def _import_page(
    request: Request,
    asker: Who,
    metric: Metric,
    status: int = 200,
    error: InputError | None = None,
) -> Response:
    return render(
        request, "measures/import.html", asker, status_code=status, metric=metric, error=error
    )


def _preview_page(
    request: Request,
    asker: Who,
    metric: Metric,
    preview: MeasuresPreview,
    status: int = 200,
    stale: Conflict | None = None,
) -> Response:
    return render(
        request,
        "measures/import_preview.html",
        asker,
        status_code=status,
        metric=metric,
        preview=preview,
        stale=stale,
    )


@router.get("/metrics/{key}/import")
def import_page(
    request: Request, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _import_page(request, asker, import_metric(session, asker.actor, key))


@router.post("/metrics/{key}/import")
def import_submit(
    request: Request,
    key: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Read the uploaded file and show what it would change; no measurement is saved (the file is
    held for the confirmation)."""
    metric = import_metric(session, asker.actor, key)
    upload = form.get("measurements")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing = InputError("Choose a CSV or Excel file of measurements", field="measurements")
        return _import_page(request, asker, metric, 400, missing)
    filename, content = upload.filename, upload.file.read(MAX_FILE_BYTES + 1)
    try:
        preview = committed(
            session, hold_measurements(session, asker.actor, key, filename, content)
        )
    except InputError as exc:
        session.rollback()
        return _import_page(request, asker, metric, 400, exc)
    return _preview_page(request, asker, metric, preview)


@router.post("/metrics/{key}/import/confirm")
def import_confirm(
    request: Request,
    key: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Save the previewed measurements, unless the measures changed since the preview (409, with
    the differences as they are now)."""
    metric = import_metric(session, asker.actor, key)
    token, base = str(form.get("token") or ""), str(form.get("base") or "") or None

    def again(exc: Refused, status: int) -> Response:
        if isinstance(exc, StalePreview) and exc.preview is not None:
            return _preview_page(request, asker, metric, exc.preview, status, stale=exc)
        error = exc if isinstance(exc, InputError) else InputError(exc.message)
        return _import_page(request, asker, metric, status, error)

    def landing(done: MeasuresPreview) -> str:
        return f"/areas/{done.areas[0]}/metrics/{key}" if done.areas else "/metrics"

    return save(
        session,
        lambda: confirm_measurements(session, asker.actor, key, token, base),
        then=landing,
        again=again,
        notice=lambda done: f"Saved the measurements in {done.file}: {done.summary()}",
    )
