"""Pages and API for metrics: the catalogue, a metric's SPC chart in an area, a plan's metrics,
and the board summary of every measure at a glance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.areas.service import get_area
from placeplan.capacity import service as capacity_service
from placeplan.measures import commentary, service
from placeplan.measures.breakdown_svg import render_bars
from placeplan.measures.breakdowns import Breakdowns, Figure, breakdowns
from placeplan.measures.spc_svg import render_svg
from placeplan.measures.suppression import SUPPRESSED, Cell, is_primary, suppress_series
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
    "minutes": " minutes",
    "years": " years",
    "count": "",
}
VARIATION = {
    "common_cause": "Common cause variation",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
    "none": "Too few points",
}
STANDING_COLOUR = {
    "on_track": "green",
    "off_track": "red",
    "no_target": "grey",
    "not_applicable": "grey",
    "no_figure": "white",
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
    small = suppress_series([Cell(r.period, r.numerator, r.denominator) for r in rows])
    withheld = set() if signed_in else set(small)
    found = service.ambitions_for(session, metric.id, area.id)
    targets = {a.period: a.target for a in found}
    standing = service.standing_by_period(rows, found, metric.direction)
    notes = commentary.commentaries(session, metric, area, public_only=not signed_in)
    if format == "csv":
        return csv_response(
            f"{gss_code}-{key}.csv",
            [
                "area_code",
                "period",
                "numerator",
                "denominator",
                "value",
                "ambition",
                "on_track",
                "recomputable",
                "illustrative",
                "source",
                "commentary",
            ],
            [
                [
                    gss_code,
                    r.period,
                    *(
                        [SUPPRESSED] * 3
                        if r.period in withheld
                        else [
                            "" if r.numerator is None else r.numerator,
                            "" if r.denominator is None else r.denominator,
                            r.value,
                        ]
                    ),
                    targets.get(r.period, ""),
                    standing.get(r.period, ""),
                    r.recomputable,
                    r.illustrative,
                    r.source or "",
                    notes[r.period].text if r.period in notes else "",
                ]
                for r in rows
            ],
        )
    types = {p.period: p for p in spc.points} if spc else {}
    ambitions = [(a, service.check_ambition(a)) for a in found]
    has_breakdowns = service.has_breakdowns(session, metric.id, area.id)
    return render(
        request,
        "metric.html",
        asker,
        area=area,
        metric=metric,
        rows=rows,
        types=types,
        # The chart's points and limits would give a withheld figure back, so the public sees
        # the variation and assurance but not the chart while any figure is withheld.
        svg=render_svg(spc, f"{metric.name}, {area.name}", unit=UNIT_SUFFIX[metric.unit])
        if spc and not withheld
        else None,
        spc=spc,
        ambitions=ambitions,
        units=UNIT_SUFFIX,
        variation=VARIATION,
        assurance=ASSURANCE,
        withheld=withheld,
        small=small,
        suppressed=SUPPRESSED,
        signed_in=signed_in,
        targets=targets,
        standing=standing,
        standing_text=service.STANDING,
        standing_colour=STANDING_COLOUR,
        has_breakdowns=has_breakdowns,
        notes=notes,
        can_comment=commentary.can_comment(asker.actor, area),
    )


@router.get("/areas/{gss_code}/metrics/{key}/breakdowns", include_in_schema=False)
def breakdowns_page(
    request: Request,
    gss_code: str,
    key: str,
    period: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    public = asker.actor.principal is None
    found = breakdowns(session, metric, area, period, public)
    if format == "csv":
        return csv_response(
            f"{gss_code}-{key}-breakdowns-{found.period or 'none'}.csv",
            [
                "area_code",
                "period",
                "breakdown",
                "breakdown_value",
                "numerator",
                "denominator",
                "value",
                "lower_95",
                "upper_95",
                "interval_method",
                "illustrative",
                "source",
            ],
            [
                [
                    gss_code,
                    found.period,
                    kind,
                    f.key,
                    *(
                        [SUPPRESSED] * 6
                        if f.withheld
                        else [
                            "" if f.numerator is None else f.numerator,
                            "" if f.denominator is None else f.denominator,
                            f.value,
                            "" if f.interval is None else round(f.interval.lower, 3),
                            "" if f.interval is None else round(f.interval.upper, 3),
                            "" if f.interval is None else f.interval.method,
                        ]
                    ),
                    f.illustrative,
                    f.source or "",
                ]
                for kind, f in _cells(found)
            ],
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
        "metric_breakdowns.html",
        asker,
        area=area,
        metric=metric,
        found=found,
        charts=charts,
        sources=list(dict.fromkeys(f.source for _, f in _cells(found) if f.source)),
        units=UNIT_SUFFIX,
        suppressed=SUPPRESSED,
        signed_in=not public,
    )


def _cells(found: Breakdowns) -> list[tuple[str, Figure]]:
    cells = [("all", found.total)] if found.total is not None else []
    return cells + [(t.kind, f) for t in found.tables for f in t.figures]


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
    public = asker.actor.principal is None
    if format == "csv":
        return csv_response(
            "board-summary.csv",
            [
                "metric",
                "area",
                "latest_period",
                "latest_value",
                "variation",
                "assurance",
                "ambition_period",
                "on_track",
            ],
            [
                [
                    r.metric.key,
                    r.area.gss_code,
                    r.latest.period if r.latest else "",
                    (SUPPRESSED if public and r.latest.small else r.latest.value)
                    if r.latest
                    else "",
                    r.variation,
                    r.assurance,
                    r.standing[0] if r.standing else "",
                    r.standing[1] if r.standing else "",
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
        public=public,
        suppressed=SUPPRESSED,
        standing_text=service.STANDING,
        standing_colour=STANDING_COLOUR,
    )


@router.get("/plans/{plan_id}/metrics", response_class=HTMLResponse, include_in_schema=False)
def plan_metrics_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = get_plan(session, asker.actor, plan_id)
    ambitions = [
        (a, service.check_ambition(a)) for a in service.ambitions_for(session, plan_id=plan.id)
    ]
    progress = {p.ambition.id: p for p in service.progress(session, plan_id=plan.id)}
    public = asker.actor.principal is None
    if format == "csv":
        return csv_response(
            f"plan-{plan.id}-ambitions.csv",
            ["metric", "area_code", "period", "ambition", "value", "on_track", "stated_change"],
            [
                [
                    a.metric.key,
                    a.area.gss_code,
                    a.period,
                    a.target,
                    _plan_value(progress[a.id], public),
                    progress[a.id].status,
                    a.stated_change or "",
                ]
                for a, _ in ambitions
            ],
        )
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
        progress=progress,
        shown={a.id: _plan_value(progress[a.id], public) for a, _ in ambitions},
        standing_text=service.STANDING,
        standing_colour=STANDING_COLOUR,
        schemes=schemes,
        metrics={m.key: m for m in service.list_metrics(session)},
        units=UNIT_SUFFIX,
        predicted=capacity_service.predicted_metrics(session, asker.actor, plan.id),
    )


def _plan_value(found: service.Progress, public: bool) -> Any:
    m = found.measurement
    if m is None:
        return ""
    if public and is_primary(Cell(m.period, m.numerator, m.denominator)):
        return SUPPRESSED
    return m.value


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
    withheld = (
        set()
        if signed_in
        else set(suppress_series([Cell(r.period, r.numerator, r.denominator) for r in rows]))
    )
    found = service.ambitions_for(session, metric.id, area.id)
    targets = {a.period: a.target for a in found}
    standing = service.standing_by_period(rows, found, metric.direction)

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    chart: dict[str, Any] | None = spc.as_dict() if spc else None
    if chart is not None and withheld:
        # Points, means and limits would give a withheld figure back; the reading stays.
        chart = {
            "variation": chart["variation"],
            "assurance": chart["assurance"],
            "points": None,
            "withheld": "points withheld: some figures rest on fewer than 10",
        }
    return {
        "area": gss_code,
        "metric": key,
        "measurements": [
            {
                "period": r.period,
                "numerator": None if r.period in withheld else text(r.numerator),
                "denominator": None if r.period in withheld else text(r.denominator),
                "value": None if r.period in withheld else str(r.value),
                "suppressed": SUPPRESSED if r.period in withheld else None,
                "ambition": text(targets.get(r.period)),
                "on_track": standing.get(r.period),
                "recomputable": r.recomputable,
                "illustrative": r.illustrative,
                "source": r.source,
            }
            for r in rows
        ],
        "spc": chart,
    }


@router.get("/api/v1/areas/{gss_code}/metrics/{key}/breakdowns", tags=["metrics"])
def api_breakdowns(
    gss_code: str,
    key: str,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    found = breakdowns(session, metric, area, period, asker.actor.principal is None)

    def cell(kind: str, f: Figure) -> dict[str, Any]:
        if f.withheld:
            return {"breakdown": kind, "breakdown_value": f.key, "suppressed": SUPPRESSED}
        return {
            "breakdown": kind,
            "breakdown_value": f.key,
            "numerator": None if f.numerator is None else str(f.numerator),
            "denominator": None if f.denominator is None else str(f.denominator),
            "value": str(f.value),
            "lower_95": None if f.interval is None else f.interval.lower,
            "upper_95": None if f.interval is None else f.interval.upper,
            "interval_method": None if f.interval is None else f.interval.method,
            "illustrative": f.illustrative,
            "source": f.source,
        }

    return {
        "area": gss_code,
        "metric": key,
        "periods": list(found.periods),
        "period": found.period,
        "cells": [cell(kind, f) for kind, f in _cells(found)],
        "quintile_gap": None
        if found.gap is None
        else {
            "most_deprived": found.gap.most_deprived,
            "least_deprived": found.gap.least_deprived,
            "gap": found.gap.gap,
            "ratio": found.gap.ratio,
        },
        "quintile_gap_withheld": found.gap_withheld,
        "gap_trend_per_period": None if found.trend is None else found.trend.slope,
    }


@router.get("/api/v1/board", tags=["metrics"])
def api_board(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    public = asker.actor.principal is None
    return [
        {
            "metric": r.metric.key,
            "area": r.area.gss_code,
            "latest_period": r.latest.period if r.latest else None,
            "latest_value": None
            if r.latest is None or (public and r.latest.small)
            else str(r.latest.value),
            "suppressed": SUPPRESSED if r.latest and public and r.latest.small else None,
            "variation": r.variation,
            "assurance": r.assurance,
            "ambition_period": r.standing[0] if r.standing else None,
            "on_track": r.standing[1] if r.standing else None,
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
