"""The JSON API for plans and their sign-off chains."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.plans import service
from placeplan.plans.models import Plan
from placeplan.plans.present import (
    PlanOut,
    PlanWithSteps,
    SnapshotOut,
    SnapshotWithContent,
    StepOut,
    differences_out,
    plan_out,
    plan_with_steps,
    snapshot_out,
    snapshot_with_content,
    step_out,
    submission_check_out,
)
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


def _internal(actor: Actor, plan: Plan) -> bool:
    """Whether the asker may read what is kept for those who run the plan (who recorded what)."""
    return service.may_read_internals(actor, plan)


def _with_steps(session: Session, actor: Actor, plan: Plan) -> PlanWithSteps:
    return plan_with_steps(plan, service.chain_standing(session, plan), _internal(actor, plan))


@router.get("/api/v1/plans", response_model=list[PlanOut], tags=["plans"])
def api_plans(session: Session = Depends(db), asker: Who = Depends(who)) -> list[PlanOut]:
    return [
        plan_out(p, _internal(asker.actor, p)) for p in service.list_plans(session, asker.actor)
    ]


@router.get("/api/v1/plans/{plan_id}", response_model=PlanWithSteps, tags=["plans"])
def api_plan(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> PlanWithSteps:
    return _with_steps(session, asker.actor, service.get_plan(session, asker.actor, plan_id))


@router.get("/api/v1/plans/{plan_id}/versions", response_model=list[SnapshotOut], tags=["plans"])
def api_plan_versions(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[SnapshotOut]:
    plan = service.get_plan(session, asker.actor, plan_id)
    internal = _internal(asker.actor, plan)
    return [snapshot_out(s, internal) for s in service.list_snapshots(session, plan.id)]


@router.get(
    "/api/v1/plans/{plan_id}/versions/{number}",
    response_model=SnapshotWithContent,
    tags=["plans"],
)
def api_plan_version(
    plan_id: int, number: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> SnapshotWithContent:
    plan = service.get_plan(session, asker.actor, plan_id)
    snapshot = service.get_snapshot(session, asker.actor, plan_id, number)
    return snapshot_with_content(snapshot, _internal(asker.actor, plan))


@router.get("/api/v1/plans/{plan_id}/differences", tags=["plans"])
def api_plan_differences(
    plan_id: int,
    before: str | None = Query(None, alias="from"),
    after: str = Query("current", alias="to"),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    """What changed between two versions of a plan: `from` and `to` are version numbers,
    `current`, or `previous-year` (the same kind of plan for the year before); `from` defaults to
    the latest version submitted."""
    return differences_out(service.compare_versions(session, asker.actor, plan_id, before, after))


@router.get("/api/v1/plans/{plan_id}/submission-check", tags=["plans"])
def api_submission_check(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> dict[str, Any]:
    """What submitting the plan now would meet: what blocks it, and what must be acknowledged
    (by key, in the status change's `acknowledged`)."""
    plan = service.get_plan(session, asker.actor, plan_id)
    service.require_edit(asker.actor, plan)
    return submission_check_out(service.submission_check(session, plan))


class PlanIn(BaseModel):
    kind: str
    title: str
    period: str
    area: str | None = None
    system: str | None = None
    summary: str | None = None


@router.post("/api/v1/plans", response_model=PlanOut, status_code=201, tags=["plans"])
def api_create_plan(
    body: PlanIn, session: Session = Depends(db), asker: Who = Depends(api_write_allowed)
) -> PlanOut:
    plan = committed(
        session,
        service.create_plan(
            session,
            asker.actor,
            body.kind,
            body.title,
            body.period,
            body.area,
            body.system,
            summary=body.summary,
        ),
    )
    return plan_out(plan, True)


class PlanChange(BaseModel):
    version: int
    title: str | None = None
    summary: str | None = None
    period: str | None = None


@router.patch("/api/v1/plans/{plan_id}", response_model=PlanOut, tags=["plans"])
def api_update_plan(
    plan_id: int,
    body: PlanChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> PlanOut:
    plan = committed(
        session,
        service.update_plan(
            session, asker.actor, plan_id, body.version, body.title, body.summary, body.period
        ),
    )
    return plan_out(plan, True)


class StatusChange(BaseModel):
    version: int
    status: str
    # Submitting: the keys of the submission check's warnings the submitter acknowledges.
    acknowledged: list[str] = []


@router.post("/api/v1/plans/{plan_id}/status", response_model=PlanWithSteps, tags=["plans"])
def api_plan_status(
    plan_id: int,
    body: StatusChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> PlanWithSteps:
    plan = committed(
        session,
        service.change_status(
            session, asker.actor, plan_id, body.status, body.version, body.acknowledged
        ),
    )
    return _with_steps(session, asker.actor, plan)


class StepIn(BaseModel):
    body: str | None = None
    signatory_role: str | None = None
    organisation: str | None = None
    planned_date: date | None = None
    note: str | None = None


@router.post(
    "/api/v1/plans/{plan_id}/steps", response_model=StepOut, status_code=201, tags=["plans"]
)
def api_add_step(
    plan_id: int,
    body: StepIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> StepOut:
    step = committed(
        session,
        service.add_step(
            session,
            asker.actor,
            plan_id,
            body_key=body.body,
            signatory_role=body.signatory_role,
            organisation_key=body.organisation,
            planned_date=body.planned_date,
            note=body.note,
        ),
    )
    plan = service.get_plan(session, asker.actor, plan_id)
    return step_out(step, service.chain_standing(session, plan).of(step.id).standing, True)


class DecisionIn(BaseModel):
    decision: str
    actual_date: date
    version: int  # the step's version, as read: two deciders at once cannot both win
    on_version: int | None = None  # the plan's version the decider reviewed
    note: str | None = None


@router.post("/api/v1/steps/{step_id}/decision", response_model=StepOut, tags=["plans"])
def api_record_decision(
    step_id: int,
    body: DecisionIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> StepOut:
    step = committed(
        session,
        service.record_decision(
            session,
            asker.actor,
            step_id,
            body.decision,
            body.actual_date,
            body.version,
            body.note,
            on_version=body.on_version,
        ),
    )
    plan = service.get_plan(session, asker.actor, step.plan_id)
    chain = service.chain_standing(session, plan)
    return step_out(step, chain.of(step.id).standing, True)
