"""Who may do what with a plan's delivery tracker."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.permissions import can_edit_plan, require
from placeplan.delivery.domain.fields import DELIVERY_KINDS
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan, may_read_internals


def internal_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan, for someone who may see its tracker's internal fields (a role in the plan's
    organisations)."""
    plan = get_plan(session, actor, plan_id)
    require(may_read_internals(actor, plan), "see a delivery tracker's internal fields")
    return plan


def can_edit(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def require_edit(actor: Actor, plan: Plan) -> None:
    where = plan.area.name if plan.area else plan.system.name if plan.system else "this plan"
    require(can_edit(actor, plan), f"edit the delivery plans of {where}")


def may_update(actor: Actor, plan: Plan, lead_user_id: int | None) -> bool:
    return can_edit(actor, plan) or (
        actor.principal is not None and lead_user_id == actor.principal.user_id
    )


def delivery_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    if plan.kind not in DELIVERY_KINDS:
        raise InputError(f"plan {plan_id} is a {plan.kind}, not a delivery plan", field="plan")
    return plan


def editable_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan, for someone who may change its delivery tracker."""
    plan = internal_plan(session, actor, plan_id)
    require(can_edit(actor, plan), "change this plan's delivery tracker")
    return plan
