"""Pages and API for metrics: the catalogue, a metric's SPC chart in an area, a plan's metrics,
and the board summary of every measure at a glance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.areas.service import get_area
from placeplan.measures import service
from placeplan.measures.spc_svg import render_svg
from placeplan.plans.service import get_plan
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()

UNIT_SUFFIX = {
    "rate_per_100k": " per 100,000",
    "rate_per_100k_dsr": " per 100,000 (age-standardised)",
    "percentage": "%",
    "days": " days",
    "count": "",
}
VARIATION = {
    "common_cause": "Common cause variation",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
    "none": "Too few points",
}
ASSURANCE = {
    "pass": "Consistently meets the target",
    "fail": "Consistently misses the target",
    "inconsistent": "Hit and miss against the target",
    "none": "No target",
}


@router.get("/metrics", response_class=HTMLResponse, include_in_schema=False)
def metrics_page(
    request: Request, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return render(
        request, "metrics.html", asker, metrics=service.list_metrics(session), units=UNIT_SUFFIX
    )


@router.get("/areas/{gss_code}/metrics/{key}", include_in_schema=False)
def metric_page(
    request: Request,
    gss_code: str,
    key: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    rows, spc = service.chart(session, metric, area)
    signed_in = asker.actor.principal is not None
    if format == "csv":
        return csv_response(
            f"{gss_code}-{key}.csv",
            [
                "area_code",
                "period",
                "numerator",
                "denominator",
                "value",
                "recomputable",
                "illustrative",
                "source",
            ],
            [
                [
                    gss_code,
                    r.period,
                    r.numerator
                    if signed_in or r.numerator is None or r.numerator >= service.SMALL_NUMBER
                    else "<10",
                    r.denominator,
                    r.value,
                    r.recomputable,
                    r.illustrative,
                    r.source or "",
                ]
                for r in rows
            ],
        )
    types = {p.period: p for p in spc.points} if spc else {}
    ambitions = [
        (a, service.check_ambition(a)) for a in service.ambitions_for(session, metric.id, area.id)
    ]
    return render(
        request,
        "metric.html",
        asker,
        area=area,
        metric=metric,
        rows=rows,
        types=types,
        svg=render_svg(spc, f"{metric.name}, {area.name}", unit=UNIT_SUFFIX[metric.unit])
        if spc
        else None,
        spc=spc,
        ambitions=ambitions,
        units=UNIT_SUFFIX,
        variation=VARIATION,
        assurance=ASSURANCE,
        small=service.SMALL_NUMBER,
        signed_in=signed_in,
    )


@router.get("/board", include_in_schema=False)
def board_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
    system: str | None = None,
) -> Response:
    from placeplan.areas.service import get_system, list_systems

    systems = list_systems(session)
    # One system's board at a time: a national team moves between systems rather than reading
    # 1,500 rows at once.
    chosen = get_system(session, system) if system else (systems[0] if systems else None)
    rows = service.board(session, chosen.areas if chosen else [])
    if format == "csv":
        return csv_response(
            "board-summary.csv",
            ["metric", "area", "latest_period", "latest_value", "variation", "assurance"],
            [
                [
                    r.metric.key,
                    r.area.gss_code,
                    r.latest.period if r.latest else "",
                    r.latest.value if r.latest else "",
                    r.variation,
                    r.assurance,
                ]
                for r in rows
            ],
        )
    return render(
        request,
        "board.html",
        asker,
        rows=rows,
        systems=systems,
        system=chosen,
        units=UNIT_SUFFIX,
        variation=VARIATION,
        assurance=ASSURANCE,
    )


@router.get("/plans/{plan_id}/metrics", response_class=HTMLResponse, include_in_schema=False)
def plan_metrics_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = get_plan(session, asker.actor, plan_id)
    ambitions = [
        (a, service.check_ambition(a)) for a in service.ambitions_for(session, plan_id=plan.id)
    ]
    schemes: dict[str, list[Any]] = {}
    if plan.kind == "bcf_plan":
        from sqlalchemy import select

        from placeplan.budget.models import Scheme

        for scheme in session.scalars(
            select(Scheme).where(Scheme.plan_id == plan.id).order_by(Scheme.name)
        ):
            for key in scheme.metrics or []:
                schemes.setdefault(key, []).append(scheme)
    return render(
        request,
        "plan_metrics.html",
        asker,
        plan=plan,
        ambitions=ambitions,
        schemes=schemes,
        metrics={m.key: m for m in service.list_metrics(session)},
        units=UNIT_SUFFIX,
    )


@router.get("/api/v1/metrics", tags=["metrics"])
def api_metrics(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "name": m.name,
            "unit": m.unit,
            "direction": m.direction,
            "frequency": m.frequency,
            "definition": m.definition,
            "source": m.source,
        }
        for m in service.list_metrics(session)
    ]


@router.get("/api/v1/areas/{gss_code}/metrics/{key}", tags=["metrics"])
def api_metric(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    rows, spc = service.chart(session, metric, area)
    signed_in = asker.actor.principal is not None

    def count(value: Any) -> str | None:
        if value is None:
            return None
        return str(value) if signed_in or value >= service.SMALL_NUMBER else "<10"

    return {
        "area": gss_code,
        "metric": key,
        "measurements": [
            {
                "period": r.period,
                "numerator": count(r.numerator),
                "denominator": count(r.denominator),
                "value": str(r.value),
                "recomputable": r.recomputable,
                "illustrative": r.illustrative,
                "source": r.source,
            }
            for r in rows
        ],
        "spc": spc.as_dict() if spc else None,
    }


@router.get("/api/v1/board", tags=["metrics"])
def api_board(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    return [
        {
            "metric": r.metric.key,
            "area": r.area.gss_code,
            "latest_period": r.latest.period if r.latest else None,
            "latest_value": str(r.latest.value) if r.latest else None,
            "variation": r.variation,
            "assurance": r.assurance,
        }
        for r in service.board(session)
    ]


class MeasurementsIn(BaseModel):
    rows: list[dict[str, str]]
    source: str | None = None


@router.post("/api/v1/metrics/{key}/measurements", status_code=201, tags=["metrics"])
def api_import(
    key: str,
    body: MeasurementsIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    count = service.import_rows(
        session, asker.actor, key, list(enumerate(body.rows, start=1)), source=body.source
    )
    commit(session)
    return {"metric": key, "imported": count}
