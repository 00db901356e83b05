"""How plans and their sign-off chains read in the JSON API and CSV downloads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.plans.models import Plan, PlanSnapshot, SignOffStep
from placeplan.plans.service import period_of


class StepOut(BaseModel):
    id: int
    position: int
    body: str | None
    body_id: int | None
    signatory_role: str | None
    organisation: str | None
    planned_date: str | None
    actual_date: str | None
    decision: str | None
    recorded_by: str | None
    note: str | None
    source: str | None
    version: int
    url: str  # where its decision is recorded


class PlanOut(BaseModel):
    id: int
    kind: str
    area: str | None
    system: str | None
    period: str
    status: str
    title: str
    summary: str | None
    source: str | None
    version: int
    url: str


class PlanWithSteps(PlanOut):
    sign_off: list[StepOut]


class SnapshotOut(BaseModel):
    id: int
    taken_at: str
    taken_by: str
    reason: str
    content: dict[str, Any]


def step_out(step: SignOffStep) -> StepOut:
    return StepOut(
        id=step.id,
        position=step.position,
        body=step.body.name if step.body else None,
        body_id=step.body_id,
        signatory_role=step.signatory_role,
        organisation=step.organisation.name if step.organisation else None,
        planned_date=step.planned_date.isoformat() if step.planned_date else None,
        actual_date=step.actual_date.isoformat() if step.actual_date else None,
        decision=step.decision,
        recorded_by=step.recorded_by,
        note=step.note,
        source=step.source,
        version=step.version,
        url=f"/api/v1/steps/{step.id}/decision",
    )


def _plan_fields(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "kind": plan.kind,
        "area": plan.area.gss_code if plan.area else None,
        "system": plan.system.code if plan.system else None,
        "period": period_of(plan).label,
        "status": plan.status,
        "title": plan.title,
        "summary": plan.summary,
        "source": plan.source,
        "version": plan.version,
        "url": f"/api/v1/plans/{plan.id}",
    }


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(**_plan_fields(plan))


def plan_with_steps(plan: Plan) -> PlanWithSteps:
    return PlanWithSteps(**_plan_fields(plan), sign_off=[step_out(s) for s in plan.steps])


def snapshot_out(snapshot: PlanSnapshot) -> SnapshotOut:
    return SnapshotOut(
        id=snapshot.id,
        taken_at=snapshot.taken_at.isoformat(),
        taken_by=snapshot.taken_by,
        reason=snapshot.reason,
        content=snapshot.content,
    )


PLANS_CSV_HEADER = ["id", "kind", "area", "system", "period", "status", "title"]


def plans_csv_rows(plans: list[Plan]) -> list[list[Any]]:
    return [
        [
            p.id,
            p.kind,
            p.area.gss_code if p.area else "",
            p.system.code if p.system else "",
            period_of(p).label,
            p.status,
            p.title,
        ]
        for p in plans
    ]
