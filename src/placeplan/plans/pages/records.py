"""Pages for plans and their sign-off chains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.core.permissions import can_edit_plan, require
from placeplan.governance.service import list_bodies
from placeplan.organisations.service import list_organisations
from placeplan.plans import service
from placeplan.plans.models import Plan
from placeplan.plans.present import PLANS_CSV_HEADER, plans_csv_rows
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import (
    Refused,
    form_text,
    form_version,
    refusal,
    required_version,
    save,
    version_again,
)
from placeplan.web.templating import csv_response, render

router = APIRouter()


def _date(form: FormData, name: str) -> date | None:
    value = str(form.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"'{value}' is not a date: expected e.g. 2025-03-31", field=name) from exc


def _plan_page(
    request: Request,
    session: Session,
    asker: Who,
    plan: Plan,
    status_code: int = 200,
    error: Refused | None = None,
) -> Response:
    can_edit = can_edit_plan(asker.actor, plan.area_id, plan.system_id)
    internal = service.may_read_internals(asker.actor, plan)
    chain = service.chain_standing(session, plan, with_differences=internal)
    return render(
        request,
        "plans/plan.html",
        asker,
        status_code=status_code,
        plan=plan,
        period=service.period_of(plan).label,
        can_edit=can_edit,
        internal=internal,
        chain=chain,
        offered=service.offered_steps(plan.status, chain, asker.actor),
        versions=service.list_snapshots(session, plan.id, with_content=False) if internal else [],
        # The add-a-step form's choices: only worth loading for someone who may add a step.
        bodies=[b for b in list_bodies(session) if plan.kind in b.may_approve] if can_edit else [],
        organisations=list_organisations(session) if can_edit else [],
        error=error,
        today=date.today(),
    )


@router.get("/plans", include_in_schema=False)
def plans_page(
    request: Request,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plans = service.list_plans(session, asker.actor)
    if format == "csv":
        return csv_response("plans.csv", PLANS_CSV_HEADER, plans_csv_rows(plans))
    return render(request, "plans/plans.html", asker, plans=plans, period_of=service.period_of)


@router.get("/plans/{plan_id}", response_class=HTMLResponse, include_in_schema=False)
def plan_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _plan_page(request, session, asker, service.get_plan(session, asker.actor, plan_id))


def _edit_form(
    request: Request,
    asker: Who,
    plan: Plan,
    values: dict[str, Any],
    version: int,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
) -> Response:
    return render(
        request,
        "plans/plan_edit.html",
        asker,
        status_code=status_code,
        plan=plan,
        values=values,
        version=version,
        error=error,
        conflict=conflict,
    )


@router.get("/plans/{plan_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def plan_edit_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = service.get_plan(session, asker.actor, plan_id)
    require(can_edit_plan(asker.actor, plan.area_id, plan.system_id), "edit this plan")
    values = {
        "title": plan.title,
        "summary": plan.summary or "",
        "period": service.period_of(plan).label,
    }
    return _edit_form(request, asker, plan, values, plan.version)


@router.post("/plans/{plan_id}/edit", include_in_schema=False)
def plan_edit_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    values = form_text(form, "title", "summary", "period")
    # shown again as typed; required where the save is made, after the asker's access is known
    version = form_version(form)

    def again(exc: Refused, status: int) -> Response:
        plan = service.get_plan(session, asker.actor, plan_id)
        # Keep what they typed, and let the next save go ahead knowingly from the new version.
        shown = version_again(exc, version or plan.version, plan.version)
        return _edit_form(request, asker, plan, values, shown, status, **refusal(exc))

    return save(
        session,
        lambda: service.update_plan(
            session,
            asker.actor,
            plan_id,
            required_version(form),
            values["title"],
            values["summary"],
            values["period"],
        ),
        then=f"/plans/{plan_id}",
        again=again,
    )


@router.post("/plans/{plan_id}/status", include_in_schema=False)
def plan_status_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return save(
        session,
        lambda: service.change_status(
            session, asker.actor, plan_id, str(form.get("target") or ""), required_version(form)
        ),
        then=f"/plans/{plan_id}",
        again=_plan_again(request, session, asker, plan_id),
        notice=lambda plan: f"The plan is now {plan.status}",
    )


def _plan_again(
    request: Request, session: Session, asker: Who, plan_id: int
) -> Callable[[Refused, int], Response]:
    """The plan page again, saying why a form on it was refused."""

    def again(exc: Refused, status: int) -> Response:
        plan = service.get_plan(session, asker.actor, plan_id)
        return _plan_page(request, session, asker, plan, status, error=exc)

    return again


@router.post("/plans/{plan_id}/steps", include_in_schema=False)
def plan_step_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    body_id = str(form.get("body_id") or "")
    role = str(form.get("signatory_role") or "") or None
    organisation_id = str(form.get("organisation_id") or "")
    return save(
        session,
        lambda: service.add_step(
            session,
            asker.actor,
            plan_id,
            body_id=int(body_id) if body_id.isdigit() else None,
            signatory_role=role,
            organisation_id=int(organisation_id) if organisation_id.isdigit() and role else None,
            planned_date=_date(form, "planned_date"),
            note=str(form.get("note") or "") or None,
        ),
        then=f"/plans/{plan_id}#sign-off",
        again=_plan_again(request, session, asker, plan_id),
        notice="Sign-off step added",
    )


@router.post("/steps/{step_id}/decision", include_in_schema=False)
def step_decision_submit(
    request: Request,
    step_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return save(
        session,
        lambda: service.record_decision(
            session,
            asker.actor,
            step_id,
            str(form.get("decision") or ""),
            _date(form, "actual_date"),
            required_version(form),
            note=str(form.get("note") or "") or None,
            on_version=form_version(form, "on_version"),
        ),
        then=lambda step: f"/plans/{step.plan_id}#sign-off",
        notice="Decision recorded",
        again=_plan_again(request, session, asker, int(str(form.get("plan_id") or 0))),
    )
