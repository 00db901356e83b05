"""Pages and API of a plan's pledges and interventions. Whoever may read the plan may read them;
editors of the plan's area or system may record a measure's latest value."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.io import pledges_xlsx as xlsx
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.pledges import rules, service, stored
from placeplan.pledges.edit_views import router as edit_router
from placeplan.pledges.models import Intervention
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.forms import form_version
from placeplan.web.templating import csv_response, render

router = APIRouter()
# First, so that /pledges/new and /measures/new are not taken for a pledge or measure ref.
router.include_router(edit_router)

MEASURE_COLUMNS = [
    "pledge",
    "pledge_title",
    "pledge_status",
    "accountable",
    "measure",
    "measure_name",
    "metric",
    "unit",
    "direction",
    "baseline",
    "baseline_period",
    "target",
    "target_period",
    "latest",
    "latest_period",
    "measure_status",
    "time_elapsed",
    "distance_covered",
    "illustrative",
    "latest_source",
    "stored_figure",
    "stored_period",
    "stored_from",
]
INTERVENTION_COLUMNS = [
    "table",
    "table_title",
    "number",
    "area",
    "description",
    "timeline",
    "first_year",
    "last_year",
    "pledge",
    "illustrative",
    "note",
]
LABELS = {"statuses": rules.STATUSES, "directions": rules.DIRECTIONS}


def figure(value: Decimal | None) -> str:
    """A figure as people read it: thousands separated, no trailing zeros."""
    if value is None:
        return ""
    plain = value.normalize()
    if plain == plain.to_integral_value():
        return f"{int(plain):,}"
    return f"{plain:,f}"


def share(value: Decimal | None) -> str:
    return "" if value is None else f"{(value * 100).quantize(Decimal('1'))}%"


def _measure_cells(view: service.PledgeView, m: service.MeasureView, signed_in: bool) -> list[Any]:
    """One measure's row of the table: figures as Decimals, text as text."""
    x = m.measure
    found: stored.StoredFigure | None = m.stored
    shown = found is not None and found.value is not None and (signed_in or not found.withheld)
    return [
        view.pledge.ref,
        view.pledge.title,
        view.status,
        "; ".join(a.name for a in view.accountable),
        x.ref,
        x.name,
        x.metric_key or "",
        x.unit or "",
        x.direction or "",
        x.baseline_value,
        x.baseline_period or "",
        x.target_value,
        x.target_period or "",
        x.latest_value,
        x.latest_period or "",
        m.status,
        share(m.assessment.time_elapsed),
        share(m.assessment.distance_covered),
        "yes" if x.illustrative or x.latest_illustrative else "",
        x.latest_source or "",
        found.value if shown and found is not None else None,
        found.figure.period if shown and found is not None else "",
        (found.label if shown else (found.reason if found.value is None else "withheld"))
        if found is not None
        else "",
    ]


def _csv_row(cells: list[Any]) -> list[str]:
    return [
        figure(c).replace(",", "") if isinstance(c, Decimal) else "" if c is None else str(c)
        for c in cells
    ]


def _table_response(
    name: str, views: list[service.PledgeView], format: str, signed_in: bool
) -> Response:
    cells = [_measure_cells(v, m, signed_in) for v in views for m in v.measures]
    if format == "xlsx":
        return Response(
            xlsx.table_bytes(name, "Pledges", MEASURE_COLUMNS, cells),
            media_type=xlsx.XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return csv_response(f"{name}.csv", MEASURE_COLUMNS, [_csv_row(c) for c in cells])


def _counts(views: list[service.PledgeView]) -> dict[str, int]:
    counts = {status: 0 for status in rules.STATUSES}
    for view in views:
        counts[view.status] += 1
    return counts


@router.get("/plans/{plan_id}/pledges", include_in_schema=False)
def pledges_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan, views = service.list_pledges(session, asker.actor, plan_id)
    stored.attach(session, plan, views)
    signed_in = asker.actor.principal is not None
    if format in ("csv", "xlsx"):
        return _table_response(f"plan-{plan_id}-pledges", views, format, signed_in)
    return render(
        request,
        "pledges/list.html",
        asker,
        plan=plan,
        pledges=views,
        counts=_counts(views),
        labels=LABELS,
        figure=figure,
        can_record=service.can_record(asker.actor, plan),
        signed_in=signed_in,
    )


def _pledge_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    ref: str,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
    typed_for: str | None = None,
) -> Response:
    plan, view = service.get_pledge(session, asker.actor, plan_id, ref)
    stored.attach(session, plan, [view])
    return render(
        request,
        "pledges/pledge.html",
        asker,
        status_code=status_code,
        plan=plan,
        view=view,
        labels=LABELS,
        figure=figure,
        share=share,
        can_record=service.can_record(asker.actor, plan),
        error=error,
        conflict=conflict,
        typed=typed or {},
        typed_for=typed_for,
        fy=rules.financial_year_label,
        signed_in=asker.actor.principal is not None,
    )


@router.get("/plans/{plan_id}/pledges/{ref}", include_in_schema=False)
def pledge_page(
    request: Request,
    plan_id: int,
    ref: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if format in ("csv", "xlsx"):
        plan, view = service.get_pledge(session, asker.actor, plan_id, ref)
        stored.attach(session, plan, [view])
        return _table_response(
            f"plan-{plan_id}-pledge-{ref}", [view], format, asker.actor.principal is not None
        )
    return _pledge_page(request, session, asker, plan_id, ref)


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}", include_in_schema=False)
def record_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        service.record_latest(
            session,
            asker.actor,
            measure.id,
            form_version(form),
            typed.get("latest_value"),
            typed.get("latest_period"),
            illustrative=typed.get("illustrative") == "yes",
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        return _pledge_page(
            request,
            session,
            asker,
            plan_id,
            ref,
            409 if isinstance(exc, Conflict) else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=exc if isinstance(exc, Conflict) else None,
            typed=typed,
            typed_for=measure_ref,
        )
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}#measures", status_code=303)


# ---- interventions and their timeline ----------------------------------------------------------


@dataclass
class Bar:
    row: Intervention
    x: float
    width: float
    y: int
    open_ended: bool


@dataclass
class TimelineChart:
    """Where each intervention's bar sits on a chart of the plan's financial years."""

    years: list[tuple[int, str, float]]  # start year, label, x of its column
    bars: list[Bar]
    height: int
    column: float


CHART_LEFT, CHART_RIGHT, ROW, HEAD = 300.0, 790.0, 30, 34


def timeline_chart(rows: list[Intervention], first_year: int, last_year: int) -> TimelineChart:
    first = min([first_year, *(r.start_year for r in rows if r.start_year)])
    last = max([last_year, *(r.end_year for r in rows if r.end_year)])
    column = (CHART_RIGHT - CHART_LEFT) / (last - first + 1)
    years = [
        (y, rules.financial_year_label(y), CHART_LEFT + (y - first) * column)
        for y in range(first, last + 1)
    ]
    bars = []
    for n, row in enumerate(rows):
        y = HEAD + n * ROW
        if row.start_year is None:
            bars.append(Bar(row, CHART_LEFT, 0, y, False))
            continue
        end = row.end_year if row.end_year is not None else last
        bars.append(
            Bar(
                row,
                CHART_LEFT + (row.start_year - first) * column,
                (end - row.start_year + 1) * column,
                y,
                row.end_year is None,
            )
        )
    return TimelineChart(years, bars, HEAD + len(rows) * ROW + 4, column)


def _tables(plan: Plan, rows: list[Intervention]) -> list[dict[str, Any]]:
    groups: dict[str, list[Intervention]] = {}
    for row in rows:
        groups.setdefault(row.table_ref, []).append(row)
    return [
        {
            "ref": ref,
            "title": items[0].table_title,
            "slug": ref.lower().replace(" ", "-"),
            "rows": items,
            "chart": timeline_chart(items, plan.period_start, plan.period_end),
        }
        for ref, items in groups.items()
    ]


def _intervention_row(row: Intervention) -> list[Any]:
    return [
        row.table_ref,
        row.table_title or "",
        row.number,
        row.area or "",
        row.description,
        row.timeline or "",
        rules.financial_year_label(row.start_year) if row.start_year else "",
        rules.financial_year_label(row.end_year) if row.end_year else "",
        row.pledge.ref if row.pledge else "",
        "yes" if row.illustrative else "",
        row.note or "",
    ]


@router.get("/plans/{plan_id}/interventions", include_in_schema=False)
def interventions_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan, rows = service.list_interventions(session, asker.actor, plan_id)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-interventions.csv",
            INTERVENTION_COLUMNS,
            [_intervention_row(r) for r in rows],
        )
    return render(
        request,
        "pledges/interventions.html",
        asker,
        plan=plan,
        tables=_tables(plan, rows),
        count=len(rows),
        fy=rules.financial_year_label,
    )


# ---- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/plans/{plan_id}/pledges", tags=["pledges"])
def api_pledges(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """A plan's pledges with their measures, accountable partnerships and statuses; a measure
    that links a catalogue metric carries its latest stored figure as `stored`."""
    plan, views = service.list_pledges(session, asker.actor, plan_id)
    stored.attach(session, plan, views)
    signed_in = asker.actor.principal is not None
    return {
        "plan_id": plan.id,
        "counts": _counts(views),
        "statuses": rules.STATUSES,
        "pledges": [service.pledge_json(v, signed_in=signed_in) for v in views],
    }


@router.get("/api/v1/plans/{plan_id}/pledges/{ref}", tags=["pledges"])
def api_pledge(
    plan_id: int, ref: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """One pledge with its measures and the interventions linked to it."""
    plan, view = service.get_pledge(session, asker.actor, plan_id, ref)
    stored.attach(session, plan, [view])
    return service.pledge_json(
        view, with_interventions=True, signed_in=asker.actor.principal is not None
    )


class LatestBody(BaseModel):
    version: int
    value: str | None = None
    period: str | None = None
    illustrative: bool = False


@router.put("/api/v1/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}", tags=["pledges"])
def api_record_latest(
    plan_id: int,
    ref: str,
    measure_ref: str,
    body: LatestBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Record a measure's latest value and its period (send neither to clear it). `version` is
    the measure's version you read; a stale one answers 409 with what changed."""
    measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
    service.record_latest(
        session, asker.actor, measure.id, body.version, body.value, body.period, body.illustrative
    )
    commit(session)
    return service.measure_json(service.MeasureView(measure, service.assess(measure)))


@router.get("/api/v1/plans/{plan_id}/interventions", tags=["pledges"])
def api_interventions(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """A plan's interventions with their timelines and the pledge each is linked to."""
    plan, rows = service.list_interventions(session, asker.actor, plan_id)
    return {"plan_id": plan.id, "interventions": [service.intervention_json(r) for r in rows]}


# ---- the stored figure ------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/use-stored", include_in_schema=False
)
def use_stored_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
    try:
        stored.use_stored_figure(session, asker.actor, measure.id, form_version(form))
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        return _pledge_page(
            request,
            session,
            asker,
            plan_id,
            ref,
            409 if isinstance(exc, Conflict) else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=exc if isinstance(exc, Conflict) else None,
            typed_for=measure_ref,
        )
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}#measures", status_code=303)


class UseStoredBody(BaseModel):
    version: int


@router.post(
    "/api/v1/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/use-stored-figure",
    tags=["pledges"],
)
def api_use_stored(
    plan_id: int,
    ref: str,
    measure_ref: str,
    body: UseStoredBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Copy the measure's latest stored figure (its `stored` in the pledge's JSON: the area's
    latest measurement, or the system figure) into its latest value, so the status rules apply
    to it. Worked out afresh here; 400 when there is none, 409 for a stale `version`."""
    measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
    stored.use_stored_figure(session, asker.actor, measure.id, body.version)
    commit(session)
    plan = get_plan(session, asker.actor, plan_id)
    view = service.MeasureView(measure, service.assess(measure))
    view.stored = stored.figures_for(session, plan, [measure]).get(measure.id)
    return service.measure_json(view)
