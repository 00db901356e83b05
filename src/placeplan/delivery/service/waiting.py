"""What waits for a person in delivery: the actions they lead (by name, or through their
organisation) without an update for the period their plan reports on now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.delivery.domain.fields import DELIVERY_KINDS
from placeplan.delivery.domain.updates import reporting_quarter
from placeplan.delivery.models import DeliveryAction, DeliveryUpdate
from placeplan.plans.models import Plan


@dataclass(frozen=True)
class ActionsDue:
    plan: Plan
    period: str
    actions: list[DeliveryAction]


def _mine(action: DeliveryAction, user_id: int, organisation: str) -> bool:
    leads = {name.strip().casefold() for name in action.lead_organisations or []}
    return action.lead_user_id == user_id or organisation.casefold() in leads


def actions_to_update(
    session: Session, actor: Actor, today: date | None = None
) -> list[ActionsDue]:
    """For each delivery plan, the actions this person leads with no update for its reporting
    quarter now (`delivery.domain.updates.reporting_quarter`)."""
    principal = actor.principal
    if principal is None:
        return []
    due: list[ActionsDue] = []
    plans = session.scalars(
        select(Plan).where(Plan.kind.in_(DELIVERY_KINDS)).order_by(Plan.period_start, Plan.title)
    )
    for plan in plans:
        period = reporting_quarter(plan.period_start, plan.period_end, today)
        if period is None:
            continue
        actions = [
            a
            for a in session.scalars(
                select(DeliveryAction)
                .where(DeliveryAction.plan_id == plan.id)
                .order_by(DeliveryAction.position)
            )
            if _mine(a, principal.user_id, principal.organisation_name)
        ]
        if not actions:
            continue
        reported = set(
            session.scalars(
                select(DeliveryUpdate.action_id).where(
                    DeliveryUpdate.plan_id == plan.id, DeliveryUpdate.period == period
                )
            )
        )
        if missing := [a for a in actions if a.id not in reported]:
            due.append(ActionsDue(plan, period, missing))
    return due
