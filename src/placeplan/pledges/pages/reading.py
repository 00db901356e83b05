"""Pages of a plan's pledges and interventions (and their CSV and xlsx downloads). Whoever may
read the plan may read them; editors of the plan's area or system may record a measure's latest
value or use its stored figure."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.pledges.domain.timelines import TIMELINE_STATUSES, financial_year_label
from placeplan.pledges.io import xlsx
from placeplan.pledges.present import tables, timeline
from placeplan.pledges.service import interventions_view
from placeplan.pledges.service.glide_path import allocation_choices, follow_allocation
from placeplan.pledges.service.recording import record_latest_at
from placeplan.pledges.service.stored import (
    PledgesRead,
    read_pledge,
    read_pledges,
    use_stored_figure_at,
)
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import Refused, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


def _table_response(name: str, read: PledgesRead, format: str) -> Response:
    table = tables.pledges_table(name, read.views, read.signed_in)
    if format == "xlsx":
        return download(xlsx.table_bytes(table), XLSX, f"{name}.xlsx")
    return csv_response(f"{name}.csv", tables.MEASURE_COLUMNS, tables.csv_rows(table))


@router.get("/plans/{plan_id}/pledges")
def pledges_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    read = read_pledges(session, asker.actor, plan_id)
    if format in ("csv", "xlsx"):
        return _table_response(f"plan-{plan_id}-pledges", read, format)
    return render(
        request,
        "pledges/list.html",
        asker,
        plan=read.plan,
        pledges=read.views,
        counts=tables.counts(read.views),
        labels=tables.LABELS,
        figure=tables.figure,
        can_record=read.can_record,
        signed_in=read.signed_in,
    )


def _pledge_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    ref: str,
    status_code: int = 200,
    refused: Refused | None = None,
    typed: dict[str, str] | None = None,
    typed_for: str | None = None,
) -> Response:
    read = read_pledge(session, asker.actor, plan_id, ref)
    choices = allocation_choices(session, asker.actor, plan_id) if read.can_record else []
    return render(
        request,
        "pledges/pledge.html",
        asker,
        allocation_choices=choices,
        status_code=status_code,
        plan=read.plan,
        view=read.views[0],
        labels=tables.LABELS,
        figure=tables.figure,
        share=tables.share,
        can_record=read.can_record,
        **refusal(refused),
        typed=typed or {},
        typed_for=typed_for,
        fy=financial_year_label,
        signed_in=read.signed_in,
    )


@router.get("/plans/{plan_id}/pledges/{ref}")
def pledge_page(
    request: Request,
    plan_id: int,
    ref: str,
    format: str | None = None,
    targets: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if format == "csv" and targets:  # a measure's yearly targets from a glide path
        read = read_pledge(session, asker.actor, plan_id, ref)
        return csv_response(
            f"plan-{plan_id}-measure-{targets}-targets.csv",
            tables.TARGET_COLUMNS,
            tables.target_rows(read.views[0], targets),
        )
    if format in ("csv", "xlsx"):
        read = read_pledge(session, asker.actor, plan_id, ref)
        return _table_response(f"plan-{plan_id}-pledge-{ref}", read, format)
    return _pledge_page(request, session, asker, plan_id, ref)


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}")
def record_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    return save(
        session,
        lambda: record_latest_at(
            session,
            asker.actor,
            plan_id,
            ref,
            measure_ref,
            required_version(form),
            typed.get("latest_value"),
            typed.get("latest_period"),
            illustrative=typed.get("illustrative") == "yes",
        ),
        then=f"/plans/{plan_id}/pledges/{ref}#measures",
        again=lambda refused, status: _pledge_page(
            request, session, asker, plan_id, ref, status, refused, typed, measure_ref
        ),
    )


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/allocation")
def follow_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = {"allocation": str(form.get("allocation") or "")}
    return save(
        session,
        lambda: follow_allocation(
            session,
            asker.actor,
            plan_id,
            ref,
            measure_ref,
            required_version(form),
            typed["allocation"],
        ),
        then=f"/plans/{plan_id}/pledges/{ref}#measures",
        again=lambda refused, status: _pledge_page(
            request, session, asker, plan_id, ref, status, refused, typed, measure_ref
        ),
    )


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/use-stored")
def use_stored_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return save(
        session,
        lambda: use_stored_figure_at(
            session, asker.actor, plan_id, ref, measure_ref, required_version(form)
        ),
        then=f"/plans/{plan_id}/pledges/{ref}#measures",
        again=lambda refused, status: _pledge_page(
            request, session, asker, plan_id, ref, status, refused, typed_for=measure_ref
        ),
    )


@router.get("/plans/{plan_id}/interventions")
def interventions_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    pledge: str = "",
    status: str = "",
    year: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    chosen = {
        "pledge": pledge,
        "status": status if status in TIMELINE_STATUSES else "",
        "year": year,
    }
    view = interventions_view(
        session,
        asker.actor,
        plan_id,
        pledge or None,
        chosen["status"] or None,
        int(year) if year.isdigit() else None,
    )
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-interventions.csv",
            tables.INTERVENTION_COLUMNS,
            [tables.intervention_row(r) for r in view.rows],
        )
    return render(
        request,
        "pledges/interventions.html",
        asker,
        plan=view.plan,
        tables=timeline.tables(view.plan, view.rows),
        count=len(view.rows),
        total=view.total,
        view=view,
        chosen=chosen,
        query=urlencode({k: v for k, v in chosen.items() if v}),
        statuses=TIMELINE_STATUSES,
        fy=financial_year_label,
    )
