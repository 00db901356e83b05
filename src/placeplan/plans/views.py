"""Pages and API for plans and their sign-off chains."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.governance.service import list_bodies
from placeplan.organisations.service import list_organisations
from placeplan.core.permissions import can_edit_plan, can_sign_off, require
from placeplan.plans import service
from placeplan.plans.models import Plan, SignOffStep
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.forms import form_version
from placeplan.web.templating import csv_response, render

router = APIRouter()


def step_json(step: SignOffStep) -> dict[str, Any]:
    return {
        "id": step.id,
        "position": step.position,
        "body": step.body.name if step.body else None,
        "body_id": step.body_id,
        "signatory_role": step.signatory_role,
        "organisation": step.organisation.name if step.organisation else None,
        "planned_date": step.planned_date.isoformat() if step.planned_date else None,
        "actual_date": step.actual_date.isoformat() if step.actual_date else None,
        "decision": step.decision,
        "recorded_by": step.recorded_by,
        "note": step.note,
        "source": step.source,
        "version": step.version,
    }


def plan_json(plan: Plan, with_steps: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": plan.id,
        "kind": plan.kind,
        "area": plan.area.gss_code if plan.area else None,
        "system": plan.system.code if plan.system else None,
        "period": service.period_of(plan).label,
        "status": plan.status,
        "title": plan.title,
        "summary": plan.summary,
        "source": plan.source,
        "version": plan.version,
    }
    if with_steps:
        body["sign_off"] = [step_json(s) for s in plan.steps]
    return body


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
    error: InputError | None = None,
) -> Response:
    can_edit = can_edit_plan(asker.actor, plan.area_id, plan.system_id)
    return render(
        request,
        "plan.html",
        asker,
        status_code=status_code,
        plan=plan,
        period=service.period_of(plan).label,
        can_edit=can_edit,
        can_sign={
            s.id: can_sign_off(asker.actor, s.body_id, s.organisation_id) for s in plan.steps
        },
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
        return csv_response(
            "plans.csv",
            ["id", "kind", "area", "system", "period", "status", "title"],
            [
                [
                    p.id,
                    p.kind,
                    p.area.gss_code if p.area else "",
                    p.system.code if p.system else "",
                    service.period_of(p).label,
                    p.status,
                    p.title,
                ]
                for p in plans
            ],
        )
    return render(request, "plans.html", asker, plans=plans, period_of=service.period_of)


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
        "plan_edit.html",
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
    values = {k: str(form.get(k) or "") for k in ("title", "summary", "period")}
    version = form_version(form)
    try:
        service.update_plan(
            session,
            asker.actor,
            plan_id,
            version,
            values["title"],
            values["summary"],
            values["period"],
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        plan = service.get_plan(session, asker.actor, plan_id)
        if isinstance(exc, Conflict):
            # Keep what they typed, and let the next save go ahead knowingly from the new version.
            return _edit_form(request, asker, plan, values, plan.version, 409, conflict=exc)
        return _edit_form(request, asker, plan, values, version or plan.version, 400, error=exc)
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


@router.post("/plans/{plan_id}/status", include_in_schema=False)
def plan_status_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    try:
        service.change_status(
            session, asker.actor, plan_id, str(form.get("target") or ""), form_version(form)
        )
        commit(session)
    except InputError as exc:
        session.rollback()
        plan = service.get_plan(session, asker.actor, plan_id)
        return _plan_page(request, session, asker, plan, 400, error=exc)
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


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
    try:
        service.add_step(
            session,
            asker.actor,
            plan_id,
            body_id=int(body_id) if body_id.isdigit() else None,
            signatory_role=role,
            organisation_id=int(organisation_id) if organisation_id.isdigit() and role else None,
            planned_date=_date(form, "planned_date"),
            note=str(form.get("note") or "") or None,
        )
        commit(session)
    except InputError as exc:
        session.rollback()
        plan = service.get_plan(session, asker.actor, plan_id)
        return _plan_page(request, session, asker, plan, 400, error=exc)
    return RedirectResponse(f"/plans/{plan_id}#sign-off", status_code=303)


@router.post("/steps/{step_id}/decision", include_in_schema=False)
def step_decision_submit(
    request: Request,
    step_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    try:
        step = service.record_decision(
            session,
            asker.actor,
            step_id,
            str(form.get("decision") or ""),
            _date(form, "actual_date"),
            form_version(form),
            note=str(form.get("note") or "") or None,
        )
        plan_id = step.plan_id
        commit(session)
    except InputError as exc:
        session.rollback()
        plan_id = int(str(form.get("plan_id") or 0))
        plan = service.get_plan(session, asker.actor, plan_id)
        return _plan_page(request, session, asker, plan, 400, error=exc)
    return RedirectResponse(f"/plans/{plan_id}#sign-off", status_code=303)


# ---- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/plans", tags=["plans"])
def api_plans(session: Session = Depends(db), asker: Who = Depends(who)) -> list[dict[str, Any]]:
    return [plan_json(p) for p in service.list_plans(session, asker.actor)]


@router.get("/api/v1/plans/{plan_id}", tags=["plans"])
def api_plan(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return plan_json(service.get_plan(session, asker.actor, plan_id), with_steps=True)


@router.get("/api/v1/plans/{plan_id}/snapshots", tags=["plans"])
def api_plan_snapshots(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[dict[str, Any]]:
    plan = service.get_plan(session, asker.actor, plan_id)
    return [
        {
            "id": s.id,
            "taken_at": s.taken_at.isoformat(),
            "taken_by": s.taken_by,
            "reason": s.reason,
            "content": s.content,
        }
        for s in plan.snapshots
    ]


class PlanIn(BaseModel):
    kind: str
    title: str
    period: str
    area: str | None = None
    system: str | None = None
    summary: str | None = None


@router.post("/api/v1/plans", status_code=201, tags=["plans"])
def api_create_plan(
    body: PlanIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> dict[str, Any]:
    plan = service.create_plan(
        session,
        asker.actor,
        body.kind,
        body.title,
        body.period,
        body.area,
        body.system,
        summary=body.summary,
    )
    commit(session)
    return plan_json(plan)


class PlanChange(BaseModel):
    version: int
    title: str | None = None
    summary: str | None = None
    period: str | None = None


@router.patch("/api/v1/plans/{plan_id}", tags=["plans"])
def api_update_plan(
    plan_id: int,
    body: PlanChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    plan = service.update_plan(
        session, asker.actor, plan_id, body.version, body.title, body.summary, body.period
    )
    commit(session)
    return plan_json(plan)


class StatusChange(BaseModel):
    version: int
    status: str


@router.post("/api/v1/plans/{plan_id}/status", tags=["plans"])
def api_plan_status(
    plan_id: int,
    body: StatusChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    plan = service.change_status(session, asker.actor, plan_id, body.status, body.version)
    commit(session)
    return plan_json(plan, with_steps=True)


class StepIn(BaseModel):
    body: str | None = None
    signatory_role: str | None = None
    organisation: str | None = None
    planned_date: date | None = None
    note: str | None = None


@router.post("/api/v1/plans/{plan_id}/steps", status_code=201, tags=["plans"])
def api_add_step(
    plan_id: int,
    body: StepIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    step = service.add_step(
        session,
        asker.actor,
        plan_id,
        body_key=body.body,
        signatory_role=body.signatory_role,
        organisation_key=body.organisation,
        planned_date=body.planned_date,
        note=body.note,
    )
    commit(session)
    return step_json(step)


class DecisionIn(BaseModel):
    decision: str
    actual_date: date
    version: int | None = None
    note: str | None = None


@router.post("/api/v1/steps/{step_id}/decision", tags=["plans"])
def api_record_decision(
    step_id: int,
    body: DecisionIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    step = service.record_decision(
        session, asker.actor, step_id, body.decision, body.actual_date, body.version, body.note
    )
    commit(session)
    return step_json(step)
