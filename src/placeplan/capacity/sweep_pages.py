"""Pages for a plan's capacity sweeps (made by `placeplan capacity sweep --plan`): the list, and
one sweep's table and chart, with the table as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.capacity.domain.sweep import FIELDS
from placeplan.capacity.present.sweep_chart import TABLE_COLUMNS, chart_table, sweep_svg, table_rows
from placeplan.capacity.service.sweeps_stored import get_sweep, sweeps_of
from placeplan.plans.service import get_plan
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


@router.get("/plans/{plan_id}/capacity/sweeps")
def sweeps_page(
    request: Request,
    plan_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = get_plan(session, asker.actor, plan_id)
    sweeps = sweeps_of(session, asker.actor, plan_id)
    return render(request, "capacity/sweeps.html", asker, plan=plan, sweeps=sweeps)


@router.get("/capacity/sweeps/{sweep_id}")
def sweep_page(
    request: Request,
    sweep_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    sweep = get_sweep(session, asker.actor, sweep_id)
    if format == "csv":
        rows = [[row.get(key) for key in FIELDS] for row in sweep.rows]
        header = [key.replace("_", " ").capitalize() for key in FIELDS]
        return csv_response(f"capacity-sweep-{sweep.id}.csv", header, rows)
    return render(
        request,
        "capacity/sweep.html",
        asker,
        plan=sweep.plan,
        sweep=sweep,
        chart=sweep_svg(sweep.rows),
        chart_table=chart_table(sweep.rows),
        columns=TABLE_COLUMNS,
        rows=table_rows(sweep.rows),
    )
