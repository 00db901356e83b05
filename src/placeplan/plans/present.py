"""How plans and their sign-off chains read in the JSON API and CSV downloads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.audit.domain import Names, describe_kind
from placeplan.core.codes import PLAN_KINDS
from placeplan.core.periods import FinancialYear
from placeplan.plans.domain import DECISIONS, SIGNATORY_ROLES, Standing, SubmissionCheck
from placeplan.plans.models import Plan, PlanSnapshot, SignOffStep
from placeplan.plans.service import ChainStanding, Comparison, period_of, step_name


class StepOut(BaseModel):
    id: int
    position: int
    who: str  # the body, or the signatory's role and organisation, as people name them
    body: str | None
    body_id: int | None
    signatory_role: str | None
    organisation: str | None
    planned_date: str | None
    actual_date: str | None
    decision: str | None
    decision_note: str | None
    decided_on_version: int | None  # the version of the plan the decision was taken on
    stale: bool  # the plan has changed since: the decision must be taken again
    # Internal: who recorded it, what the step is for and where that came from. Left out (None)
    # for readers who are not signed in.
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
    submitted_version: int | None  # the latest version submitted
    sign_off: list[StepOut]


class SnapshotOut(BaseModel):
    number: int
    taken_at: str
    taken_by: str | None  # internal: None for readers who are not signed in
    reason: str
    url: str


class SnapshotWithContent(SnapshotOut):
    content: dict[str, Any]


def step_out(step: SignOffStep, standing: Standing, internal: bool) -> StepOut:
    return StepOut(
        id=step.id,
        position=step.position,
        who=step_name(step),
        body=step.body.name if step.body else None,
        body_id=step.body_id,
        signatory_role=step.signatory_role,
        organisation=step.organisation.name if step.organisation else None,
        planned_date=step.planned_date.isoformat() if step.planned_date else None,
        actual_date=step.actual_date.isoformat() if step.actual_date else None,
        decision=step.decision,
        decision_note=step.decision_note,
        decided_on_version=standing.decided_on_version,
        stale=standing.stale,
        recorded_by=step.recorded_by if internal else None,
        note=step.note if internal else None,
        source=step.source if internal else None,
        version=step.version,
        url=f"/api/v1/steps/{step.id}/decision",
    )


def _plan_fields(plan: Plan, internal: bool) -> dict[str, Any]:
    return {
        "id": plan.id,
        "kind": plan.kind,
        "area": plan.area.gss_code if plan.area else None,
        "system": plan.system.code if plan.system else None,
        "period": period_of(plan).label,
        "status": plan.status,
        "title": plan.title,
        "summary": plan.summary,
        "source": plan.source if internal else None,
        "version": plan.version,
        "url": f"/api/v1/plans/{plan.id}",
    }


def plan_out(plan: Plan, internal: bool) -> PlanOut:
    return PlanOut(**_plan_fields(plan, internal))


def plan_with_steps(plan: Plan, chain: ChainStanding, internal: bool) -> PlanWithSteps:
    return PlanWithSteps(
        **_plan_fields(plan, internal),
        submitted_version=chain.version,
        sign_off=[step_out(s.step, s.standing, internal) for s in chain.steps],
    )


def snapshot_out(snapshot: PlanSnapshot, internal: bool) -> SnapshotOut:
    return SnapshotOut(
        number=snapshot.number,
        taken_at=snapshot.taken_at.isoformat(),
        taken_by=snapshot.taken_by if internal else None,
        reason=snapshot.reason,
        url=f"/api/v1/plans/{snapshot.plan_id}/versions/{snapshot.number}",
    )


def snapshot_with_content(snapshot: PlanSnapshot, internal: bool) -> SnapshotWithContent:
    content = dict(snapshot.content)
    if not internal:
        # What the public may not read: who recorded each decision, and internal notes.
        content["sign_off"] = [
            {k: v for k, v in step.items() if k not in ("recorded_by", "note", "source")}
            for step in content.get("sign_off") or []
        ]
    return SnapshotWithContent(**snapshot_out(snapshot, internal).model_dump(), content=content)


def differences_out(comparison: Comparison) -> dict[str, Any]:
    return {
        "plan": comparison.plan.title,
        "before": comparison.before_label,
        "after": comparison.after_label,
        **comparison.differences.as_json(),
    }


def submission_check_out(check: SubmissionCheck) -> dict[str, Any]:
    return {
        "may_submit": not check.blocking,
        "blocking": list(check.blocking),
        "warnings": [
            {"key": w.key, "title": w.title, "items": list(w.items)} for w in check.warnings
        ],
    }


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


def _step_name(state: Any, names: Names) -> str:
    """A sign-off step is named by who signs: the body, or the signatory's role and organisation."""
    if isinstance(state.get("body_id"), int):
        return names.name("body", state["body_id"]) or ""
    role = SIGNATORY_ROLES.get(state.get("signatory_role") or "", "Signatory")
    organisation = state.get("organisation_id")
    of = names.name("organisation", organisation) if isinstance(organisation, int) else None
    return f"{role} of {of}" if of else role


# How plans, their sign-off steps and snapshots read in the audit history (audit.domain).
AUDIT_KINDS = (
    describe_kind(
        "plan",
        noun="plan",
        name="title",
        labels={
            "title": "Title",
            "kind": "Kind of plan",
            "status": "Status",
            "summary": "Summary",
            "area_id": "Area",
            "system_id": "System",
            "period_start": "First year",
            "period_end": "Last year",
            "source": "Source",
            "file": "File",
            "changes": "Changes",
        },
        refs={"area_id": "area", "system_id": "system"},
        choices={
            "kind": PLAN_KINDS,
            "status": {s: s.capitalize() for s in ("draft", "submitted", "approved", "published")},
        },
        formats={
            "period_start": lambda y: FinancialYear(int(y)).label,
            "period_end": lambda y: FinancialYear(int(y)).label,
        },
        hidden={"key"},
        verbs={"upload_workbook": "uploaded the planning workbook for"},
    ),
    describe_kind(
        "sign_off_step",
        noun="sign-off step",
        name=_step_name,
        labels={
            "position": "Step",
            "body_id": "Body",
            "signatory_role": "Signatory",
            "organisation_id": "Organisation",
            "note": "Description",
            "planned_date": "Planned date",
            "actual_date": "Date of the decision",
            "decision": "Decision",
            "decision_note": "Note of the decision",
            "decided_snapshot_id": "Snapshot decided on",
            "source": "Source",
        },
        refs={
            "body_id": "body",
            "organisation_id": "organisation",
            "decided_snapshot_id": "plan_snapshot",
        },
        choices={"decision": DECISIONS, "signatory_role": SIGNATORY_ROLES},
        hidden={"recorded_by"},
        verbs={"sign_off": "recorded a decision on", "reopen": "reopened"},
    ),
    describe_kind(
        "plan_snapshot",
        noun="snapshot",
        name="Snapshot {number}",
        within="plan_id",
        labels={"number": "Number", "reason": "Reason", "taken_at": "Taken"},
        refs={"plan_id": "plan"},
        hidden={"content", "fingerprint", "content_token", "taken_by"},
    ),
)
