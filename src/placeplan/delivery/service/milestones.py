"""The milestones ("By ...") of a plan's actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.fields import plan_window
from placeplan.core.permissions import require
from placeplan.delivery.domain.fields import MILESTONE, MILESTONE_FIELDS, check_milestone_dates
from placeplan.delivery.models import DeliveryAction, DeliveryMilestone
from placeplan.delivery.service.access import delivery_plan, internal_plan, may_update, require_edit
from placeplan.delivery.service.structure import get_action
from placeplan.plans.service import get_plan
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version


def add_milestone(
    session: Session,
    actor: Actor,
    action_id: int,
    ref: str,
    by_text: str,
    due_date: date | None = None,
    done_date: date | None = None,
) -> DeliveryMilestone:
    action = get_action(session, actor, action_id)
    delivery_plan(session, actor, action.plan_id)
    if not by_text.strip():
        raise InputError("a milestone needs its 'By ...' text", field="by_text")
    MILESTONE["by_text"].check(by_text.strip())
    ref = new_milestone_ref(action, ref)
    plan = get_plan(session, actor, action.plan_id)
    check_milestone_dates(due_date, done_date, plan_window(plan.period_start, plan.period_end))
    return add_recorded(
        session,
        actor,
        "delivery_milestone",
        DeliveryMilestone(
            plan_id=action.plan_id,
            action_id=action.id,
            ref=ref,
            by_text=by_text.strip(),
            due_date=due_date,
            done_date=done_date,
            position=len(action.milestones),
        ),
    )


def mark_milestone(
    session: Session,
    actor: Actor,
    milestone_id: int,
    expected_version: int | None,
    done_date: date | None,
) -> DeliveryMilestone:
    milestone = session.get(DeliveryMilestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}")
    plan = get_plan(session, actor, milestone.plan_id)
    require(may_update(actor, plan, milestone.action.lead_user_id), "update this action")
    check_version(session, milestone, "delivery_milestone", expected_version, ["done_date"])
    if done_date is not None and done_date > date.today():
        raise InputError("a milestone cannot be done in the future", field="done_date")
    update_recorded(session, actor, "delivery_milestone", milestone, {"done_date": done_date})
    return milestone


def new_milestone_ref(action: DeliveryAction, ref: str | None) -> str:
    taken = {m.ref for m in action.milestones}
    text = (ref or "").strip()
    if not text:
        # The next free number, as the seed numbers each action's activities 1, 2, 3 ...
        numbers = [int(r) for r in taken if r.isdigit()]
        return str(max(numbers, default=0) + 1)
    MILESTONE["ref"].check(text)
    if text in taken:
        raise InputError(
            f"action {action.ref} already has a milestone {text}: choose another ref", field="ref"
        )
    return text


def get_milestone(session: Session, actor: Actor, milestone_id: int) -> DeliveryMilestone:
    milestone = session.get(DeliveryMilestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}")
    internal_plan(session, actor, milestone.plan_id)
    return milestone


def update_milestone(
    session: Session,
    actor: Actor,
    milestone_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> DeliveryMilestone:
    """Change a milestone's ref, "By ..." text, due or done date. Marking it done (or not) is open
    to the action's lead as well as the plan's editors; the rest only to editors."""
    milestone = get_milestone(session, actor, milestone_id)
    plan = get_plan(session, actor, milestone.plan_id)
    values = {k: v for k, v in changes.items() if k in MILESTONE_FIELDS}
    moved = {k for k, v in values.items() if getattr(milestone, k) != v}
    if moved <= {"done_date"}:
        require(may_update(actor, plan, milestone.action.lead_user_id), "update this action")
    else:
        require_edit(actor, plan)
    check_version(session, milestone, "delivery_milestone", expected_version, MILESTONE_FIELDS)
    if "by_text" in values:
        values["by_text"] = str(values["by_text"] or "").strip()
        if not values["by_text"]:
            raise InputError("a milestone needs its 'By ...' text", field="by_text")
        MILESTONE["by_text"].check(values["by_text"])
    if "ref" in values and values["ref"] != milestone.ref:
        values["ref"] = new_milestone_ref(milestone.action, values["ref"])
    check_milestone_dates(
        values.get("due_date", milestone.due_date),
        values.get("done_date", milestone.done_date),
        plan_window(plan.period_start, plan.period_end) if "due_date" in moved else None,
    )
    update_recorded(session, actor, "delivery_milestone", milestone, values)
    return milestone
