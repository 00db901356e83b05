"""The JSON API for plans and their sign-off chains."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.plans import service
from placeplan.plans.present import (
    PlanOut,
    PlanWithSteps,
    SnapshotOut,
    StepOut,
    plan_out,
    plan_with_steps,
    snapshot_out,
    step_out,
)
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


@router.get("/api/v1/plans", response_model=list[PlanOut], tags=["plans"])
def api_plans(session: Session = Depends(db), asker: Who = Depends(who)) -> list[PlanOut]:
    return [plan_out(p) for p in service.list_plans(session, asker.actor)]


@router.get("/api/v1/plans/{plan_id}", response_model=PlanWithSteps, tags=["plans"])
def api_plan(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> PlanWithSteps:
    return plan_with_steps(service.get_plan(session, asker.actor, plan_id))


@router.get("/api/v1/plans/{plan_id}/snapshots", response_model=list[SnapshotOut], tags=["plans"])
def api_plan_snapshots(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> list[SnapshotOut]:
    plan = service.get_plan(session, asker.actor, plan_id)
    return [snapshot_out(s) for s in plan.snapshots]


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
    return plan_out(plan)


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
    return plan_out(plan)


class StatusChange(BaseModel):
    version: int
    status: str


@router.post("/api/v1/plans/{plan_id}/status", response_model=PlanWithSteps, tags=["plans"])
def api_plan_status(
    plan_id: int,
    body: StatusChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> PlanWithSteps:
    plan = committed(
        session, service.change_status(session, asker.actor, plan_id, body.status, body.version)
    )
    return plan_with_steps(plan)


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
    return step_out(step)


class DecisionIn(BaseModel):
    decision: str
    actual_date: date
    version: int | None = None
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
            session, asker.actor, step_id, body.decision, body.actual_date, body.version, body.note
        ),
    )
    return step_out(step)
