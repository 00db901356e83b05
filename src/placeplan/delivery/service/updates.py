"""Updates by reporting period: a lead's RAG ratings and commentary for each action."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError, NotFound
from placeplan.core.fields import plan_window
from placeplan.core.periods import QuarterOrMonth, parse_quarter_or_month
from placeplan.core.permissions import require
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.fields import UPDATE, UPDATE_FIELDS, check_reporting_period
from placeplan.delivery.domain.rows import ActionRow
from placeplan.delivery.domain.updates import UpdateIn, current_quarter, text_or_none
from placeplan.delivery.models import DeliveryAction, DeliveryUpdate
from placeplan.delivery.service.access import can_edit, internal_plan, may_update
from placeplan.delivery.service.reads import action_rows, choose_period
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version


def record_updates(
    session: Session, actor: Actor, plan_id: int, period: str, updates: list[UpdateIn]
) -> list[DeliveryUpdate]:
    """All of a lead's updates for one period at once: every one is checked first; one bad or
    stale update refuses the lot. An update with no overall RAG and no text is skipped."""
    plan = get_plan(session, actor, plan_id)
    when = parse_quarter_or_month(period)
    check_reporting_period(plan_window(plan.period_start, plan.period_end), when)
    ids = [u.action_id for u in updates]
    actions = {
        a.id: a
        for a in session.scalars(
            select(DeliveryAction).where(
                DeliveryAction.id.in_(ids), DeliveryAction.plan_id == plan_id
            )
        )
    }
    existing = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.action_id.in_(ids), DeliveryUpdate.period == when.label
            )
        )
    }
    planned: list[tuple[UpdateIn, dict[str, Any]]] = []
    for given in updates:
        action = actions.get(given.action_id)
        if action is None:
            raise NotFound(f"no action {given.action_id} in plan {plan_id}")
        require(may_update(actor, plan, action.lead_user_id), f"update action {action.ref}")
        values = _update_values(given, action)
        if _to_write(session, when, action, given, values, existing.get(action.id)):
            planned.append((given, values))
    return [
        _write_update(session, actor, plan_id, when, given, values, existing.get(given.action_id))
        for given, values in planned
    ]


def _update_values(given: UpdateIn, action: DeliveryAction) -> dict[str, Any]:
    """The update's ratings, checked, and its texts (blank ones as None), by column."""
    values = {
        "overall_rag": rules.check_rag(given.overall_rag, f"overall-{action.id}"),
        "risk_rag": rules.check_rag(given.risk_rag, f"risk-{action.id}"),
        "trajectory_rag": rules.check_rag(given.trajectory_rag, f"trajectory-{action.id}"),
        **{
            name: text_or_none(getattr(given, name))
            for name in UPDATE_FIELDS
            if name not in ("overall_rag", "risk_rag", "trajectory_rag")
        },
    }
    UPDATE.check(values)
    return values


def _to_write(
    session: Session,
    when: QuarterOrMonth,
    action: DeliveryAction,
    given: UpdateIn,
    values: dict[str, Any],
    stored: DeliveryUpdate | None,
) -> bool:
    """Whether the update is to be written (False: it is empty, and skipped); an update without
    an overall RAG, or one made against a version that is no longer stored, is refused."""
    if values["overall_rag"] is None:
        if any(values.values()) or stored is not None:
            raise InputError(
                f"give action {action.ref} an overall RAG rating for {when.label}",
                field=f"overall-{action.id}",
            )
        return False
    if stored is None and given.version not in (None, 0):
        raise Conflict(
            f"the update of action {action.ref} for {when.label} was removed since you opened it",
            current_version=0,
        )
    if stored is not None:
        if given.version == 0:
            raise Conflict(
                f"someone else reported on action {action.ref} for {when.label} since you"
                " opened the form",
                current_version=stored.version,
                changes={
                    f"{action.ref} {name}": (None, getattr(stored, name))
                    for name in UPDATE_FIELDS
                    if getattr(stored, name) is not None
                },
            )
        check_version(session, stored, "delivery_update", given.version, UPDATE_FIELDS)
    return True


def _write_update(
    session: Session,
    actor: Actor,
    plan_id: int,
    when: QuarterOrMonth,
    given: UpdateIn,
    values: dict[str, Any],
    stored: DeliveryUpdate | None,
) -> DeliveryUpdate:
    """Add the update, or change the stored one (recording no change when it is the same)."""
    if stored is None:
        return add_recorded(
            session,
            actor,
            "delivery_update",
            DeliveryUpdate(
                plan_id=plan_id,
                action_id=given.action_id,
                period=when.label,
                period_end=when.last_day,
                updated_by=actor.name,
                updated_at=utcnow(),
                **values,
            ),
        )
    update_recorded(
        session,
        actor,
        "delivery_update",
        stored,
        {**values, "updated_by": actor.name, "updated_at": utcnow()}
        if any(getattr(stored, k) != v for k, v in values.items())
        else {},
    )
    return stored


def update_form_rows(
    session: Session, actor: Actor, plan_id: int, period: str | None, mine_only: bool = False
) -> tuple[Plan, QuarterOrMonth, list[tuple[ActionRow, DeliveryUpdate | None]]]:
    """The actions this person may report on for the period, with what is stored for it."""
    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period) or parse_quarter_or_month(current_quarter())
    user_id = actor.principal.user_id if actor.principal else None
    editor = can_edit(actor, plan)
    lead = None if (editor and not mine_only) else user_id
    if lead is None and not editor:
        require(False, "report on this plan's actions")
    rows = action_rows(session, plan_id, when, lead_user_id=lead)
    if not rows and not editor:
        require(False, "report on this plan's actions: you lead none of them")
    stored = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period == when.label
            )
        )
    }
    return plan, when, [(r, stored.get(r.id)) for r in rows]
