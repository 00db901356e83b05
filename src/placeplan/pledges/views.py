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
from placeplan.plans.models import Plan
from placeplan.pledges import rules, service
from placeplan.pledges.models import Intervention
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()

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


def _measure_row(view: service.PledgeView, m: service.MeasureView) -> list[Any]:
    x = m.measure
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
        figure(x.baseline_value).replace(",", ""),
        x.baseline_period or "",
        figure(x.target_value).replace(",", ""),
        x.target_period or "",
        figure(x.latest_value).replace(",", ""),
        x.latest_period or "",
        m.status,
        share(m.assessment.time_elapsed),
        share(m.assessment.distance_covered),
        "yes" if x.illustrative or x.latest_illustrative else "",
    ]


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
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-pledges.csv",
            MEASURE_COLUMNS,
            [_measure_row(v, m) for v in views for m in v.measures],
        )
    return render(
        request,
        "pledges/list.html",
        asker,
        plan=plan,
        pledges=views,
        counts=_counts(views),
        labels=LABELS,
        figure=figure,
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
    if format == "csv":
        _, view = service.get_pledge(session, asker.actor, plan_id, ref)
        return csv_response(
            f"plan-{plan_id}-pledge-{ref}.csv",
            MEASURE_COLUMNS,
            [_measure_row(view, m) for m in view.measures],
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
    version = typed.get("version", "")
    try:
        service.record_latest(
            session,
            asker.actor,
            measure.id,
            int(version) if version.isdigit() else None,
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
    """A plan's pledges with their measures, accountable partnerships and statuses."""
    plan, views = service.list_pledges(session, asker.actor, plan_id)
    return {
        "plan_id": plan.id,
        "counts": _counts(views),
        "statuses": rules.STATUSES,
        "pledges": [service.pledge_json(v) for v in views],
    }


@router.get("/api/v1/plans/{plan_id}/pledges/{ref}", tags=["pledges"])
def api_pledge(
    plan_id: int, ref: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """One pledge with its measures and the interventions linked to it."""
    _, view = service.get_pledge(session, asker.actor, plan_id, ref)
    return service.pledge_json(view, with_interventions=True)


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
