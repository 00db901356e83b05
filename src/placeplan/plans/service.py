"""Operations on plans and their sign-off chains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from placeplan.areas.models import Area, System
from placeplan.areas.service import get_area, get_system
from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden, InputError, NotFound
from placeplan.core.hooks import Hook
from placeplan.core.periods import FinancialYear, Period, parse_period
from placeplan.core.permissions import can_edit_plan, can_read_unpublished, can_sign_off, require
from placeplan.governance.models import Body
from placeplan.governance.service import get_body, get_body_by_key
from placeplan.organisations.models import Organisation
from placeplan.organisations.service import get_organisation, get_organisation_by_key
from placeplan.plans import domain as rules
from placeplan.plans.models import Plan, PlanSnapshot, SignOffStep
from placeplan.store import audit
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

PLAN_EDITABLE = ["title", "summary", "period_start", "period_end"]

submission_problems: Hook[Callable[[Session, Plan], list[str]]] = Hook(
    "plans.submission_problems",
    "what stops a plan being submitted (the budget's error-level findings, as messages)",
)


def period_of(plan: Plan) -> Period:
    return Period(FinancialYear(plan.period_start), FinancialYear(plan.period_end))


def _plan_query() -> Select[Plan]:
    return select(Plan).options(
        selectinload(Plan.area),
        selectinload(Plan.system),
        selectinload(Plan.steps).selectinload(SignOffStep.body),
        selectinload(Plan.steps).selectinload(SignOffStep.organisation),
    )


def create_plan(
    session: Session,
    actor: Actor,
    kind: str,
    title: str,
    period: str,
    area_code: str | None = None,
    system_code: str | None = None,
    key: str | None = None,
    summary: str | None = None,
    source: str | None = None,
) -> Plan:
    rules.check_kind(kind)
    parsed = parse_period(period)
    if not title.strip():
        raise InputError("a plan needs a title", field="title")
    if (area_code is None) == (system_code is None):
        raise InputError("a plan covers either one area or a whole system: give one", field="area")
    area: Area | None = None
    system: System | None = None
    try:
        if area_code:
            area = get_area(session, area_code)
        else:
            system = get_system(session, system_code or "")
    except NotFound as exc:
        raise InputError(str(exc), field="area" if area_code else "system") from exc
    require(
        can_edit_plan(actor, area.id if area else None, system.id if system else None),
        f"add a plan for {area.name if area else system.name if system else ''}",
    )
    if key and session.scalar(select(Plan).where(Plan.key == key)) is not None:
        raise InputError(f"a plan with key {key} already exists", field="key")
    plan = Plan(
        key=key,
        kind=kind,
        title=title.strip(),
        summary=summary,
        area=area,
        system=system,
        period_start=parsed.first.start_year,
        period_end=parsed.last.start_year,
        status="draft",
        source=source,
    )
    return add_recorded(session, actor, "plan", plan)


def list_plans(
    session: Session, actor: Actor, area_id: int | None = None, system_id: int | None = None
) -> list[Plan]:
    query = select(Plan).options(selectinload(Plan.area), selectinload(Plan.system))
    if not can_read_unpublished(actor):
        query = query.where(Plan.status == "published")
    if area_id is not None:
        query = query.where(Plan.area_id == area_id)
    if system_id is not None:
        query = query.where(Plan.system_id == system_id)
    return list(session.scalars(query.order_by(Plan.period_start.desc(), Plan.title)))


def get_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = session.scalar(_plan_query().where(Plan.id == plan_id))
    # Unpublished plans do not exist for the public: a 404 tells them nothing they may not know.
    if plan is None or (plan.status != "published" and not can_read_unpublished(actor)):
        raise NotFound(f"no plan {plan_id}")
    return plan


def _require_edit(actor: Actor, plan: Plan) -> None:
    where = plan.area.name if plan.area else plan.system.name if plan.system else "this plan"
    require(can_edit_plan(actor, plan.area_id, plan.system_id), f"edit the plans of {where}")


def update_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    expected_version: int | None,
    title: str | None = None,
    summary: str | None = None,
    period: str | None = None,
) -> Plan:
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    check_version(session, plan, "plan", expected_version, PLAN_EDITABLE)
    if plan.status != "draft":
        raise InputError(
            f"a {plan.status} plan cannot be edited: return it to draft first", field="status"
        )
    changes: dict[str, Any] = {}
    if title is not None:
        if not title.strip():
            raise InputError("a plan needs a title", field="title")
        changes["title"] = title.strip()
    if summary is not None:
        changes["summary"] = summary.strip() or None
    if period is not None:
        parsed = parse_period(period)
        changes["period_start"] = parsed.first.start_year
        changes["period_end"] = parsed.last.start_year
    update_recorded(session, actor, "plan", plan, changes)
    return plan


def add_step(
    session: Session,
    actor: Actor,
    plan_id: int,
    body_key: str | None = None,
    body_id: int | None = None,
    signatory_role: str | None = None,
    organisation_key: str | None = None,
    organisation_id: int | None = None,
    planned_date: date | None = None,
    note: str | None = None,
    source: str | None = None,
) -> SignOffStep:
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    if plan.status in ("approved", "published"):
        raise InputError(f"the sign-off chain of a {plan.status} plan is closed", field="status")
    body_ref = body_key if body_key is not None else body_id
    organisation_ref = organisation_key if organisation_key is not None else organisation_id
    rules.check_step_target(body_ref, signatory_role, organisation_ref)
    body: Body | None = None
    organisation: Organisation | None = None
    try:
        if body_key is not None:
            body = get_body_by_key(session, body_key)
        elif body_id is not None:
            body = get_body(session, body_id)
        if organisation_key is not None:
            organisation = get_organisation_by_key(session, organisation_key)
        elif organisation_id is not None:
            organisation = get_organisation(session, organisation_id)
    except NotFound as exc:
        raise InputError(
            str(exc), field="body" if body_ref is not None else "organisation"
        ) from exc
    if body is not None:
        rules.check_body_may_approve(body.name, body.may_approve, plan.kind)
        if planned_date is not None:
            rules.check_body_existed(
                body.name, body.valid_from, body.valid_to, planned_date, "planned_date"
            )
    step = SignOffStep(
        plan_id=plan.id,
        position=max((s.position for s in plan.steps), default=0) + 1,
        body=body,
        signatory_role=signatory_role,
        organisation=organisation,
        planned_date=planned_date,
        note=note,
        source=source,
    )
    add_recorded(session, actor, "sign_off_step", step)
    session.refresh(plan, ["steps"])
    return step


def _step(session: Session, step_id: int) -> SignOffStep:
    step = session.get(SignOffStep, step_id)
    if step is None:
        raise NotFound(f"no sign-off step {step_id}")
    return step


def record_decision(
    session: Session,
    actor: Actor,
    step_id: int,
    decision: str,
    actual_date: date | None,
    expected_version: int | None = None,
    note: str | None = None,
    today: date | None = None,
) -> SignOffStep:
    step = _step(session, step_id)
    plan = get_plan(session, actor, step.plan_id)
    who = (
        step.body.name
        if step.body
        else (
            f"the {rules.SIGNATORY_ROLES.get(step.signatory_role or '', step.signatory_role)} of"
            f" {step.organisation.name if step.organisation else 'the organisation'}"
        )
    )
    if not can_sign_off(actor, step.body_id, step.organisation_id):
        raise Forbidden(f"only an approver for {who} may record this sign-off")
    check_version(
        session, step, "sign_off_step", expected_version, ["decision", "actual_date", "note"]
    )
    if plan.status in ("approved", "published"):
        raise InputError(f"the sign-off chain of a {plan.status} plan is closed", field="status")
    rules.check_decision(decision, actual_date, today or date.today())
    if step.body is not None and actual_date is not None:
        rules.check_body_may_approve(step.body.name, step.body.may_approve, plan.kind)
        rules.check_body_existed(
            step.body.name, step.body.valid_from, step.body.valid_to, actual_date, "actual_date"
        )
    changes: dict[str, Any] = {
        "decision": decision,
        "actual_date": actual_date,
        "recorded_by": actor.name,
    }
    if note is not None:
        changes["note"] = note.strip() or None
    update_recorded(session, actor, "sign_off_step", step, changes, action="sign_off")
    session.refresh(plan, ["steps"])
    _follow_decisions(session, actor, plan)
    return step


def _follow_decisions(session: Session, actor: Actor, plan: Plan) -> None:
    new_status = rules.status_after_decisions(plan.status, [s.decision for s in plan.steps])
    if new_status != plan.status:
        update_recorded(
            session,
            actor,
            "plan",
            plan,
            {"status": new_status},
            action="approve" if new_status == "approved" else "return_to_draft",
        )


def plan_content(plan: Plan) -> dict[str, Any]:
    """Everything a snapshot keeps of a plan."""
    return {
        "plan": audit.state_of(plan),
        "period": period_of(plan).label,
        "area": plan.area.gss_code if plan.area else None,
        "system": plan.system.code if plan.system else None,
        "sign_off": [
            {
                **audit.state_of(step),
                "body": step.body.name if step.body else None,
                "organisation": step.organisation.name if step.organisation else None,
            }
            for step in plan.steps
        ],
    }


def change_status(
    session: Session, actor: Actor, plan_id: int, target: str, expected_version: int | None
) -> Plan:
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    check_version(session, plan, "plan", expected_version, PLAN_EDITABLE + ["status"])
    rules.check_move(plan.status, target)
    if target == "submitted" and not plan.steps:
        raise InputError("a plan needs a sign-off chain before it is submitted", field="sign_off")
    if target == "submitted":
        # Later concepts (the budget) say what stops a submission; plans cannot import them.
        errors = submission_problems.call(session, plan)
        if errors:
            raise InputError(
                f"the plan cannot be submitted while its budget breaks {len(errors)} rule(s):"
                f" {errors[0]}",
                field="budget",
            )
    update_recorded(session, actor, "plan", plan, {"status": target}, action=target)
    if target == "submitted":
        # A resubmission asks again those who rejected or deferred; the audit log keeps their answer.
        for step in plan.steps:
            if step.decision in ("rejected", "deferred"):
                update_recorded(
                    session,
                    actor,
                    "sign_off_step",
                    step,
                    {"decision": None, "actual_date": None, "recorded_by": None},
                    action="reopen",
                )
        snapshot = PlanSnapshot(
            plan_id=plan.id,
            taken_at=utcnow(),
            taken_by=actor.name,
            reason="submitted",
            content=plan_content(plan),
        )
        add_recorded(session, actor, "plan_snapshot", snapshot)
        _follow_decisions(session, actor, plan)
    return plan


def plans_in_area(session: Session, actor: Actor, area_id: int) -> list[Plan]:
    """The plans about one area that the asker may see."""
    return list_plans(session, actor, area_id=area_id)
