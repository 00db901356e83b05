"""Moving a plan through its statuses: submission is a checked moment that keeps a snapshot;
approval follows the sign-off; publication needs every decision current."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.plans import domain as rules
from placeplan.plans.models import Plan
from placeplan.plans.service.records import PLAN_EDITABLE, get_plan, require_edit
from placeplan.plans.service.sign_off import chain_standing, follow_decisions
from placeplan.plans.service.versions import (
    current_fingerprint,
    refuse_unacknowledged,
    submission_check,
    take_snapshot,
)
from placeplan.store.changes import update_recorded
from placeplan.store.uow import check_version


def change_status(
    session: Session,
    actor: Actor,
    plan_id: int,
    target: str,
    expected_version: int | None,
    acknowledged: Collection[str] = (),
    today: date | None = None,
) -> Plan:
    """Submit, return to draft or publish. Submitting refuses while a funding rule is broken and
    until each warning is acknowledged by its key; it keeps a snapshot, the version decided on."""
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    check_version(session, plan, "plan", expected_version, PLAN_EDITABLE + ["status"])
    rules.check_move(plan.status, target)
    if target == "submitted":
        refuse_unacknowledged(submission_check(session, plan, today), acknowledged)
    if target == "published":
        now = current_fingerprint(session, plan)
        stale = chain_standing(session, plan, fingerprint=now).stale
        if stale:
            raise InputError(
                f"{len(stale)} decision(s) were taken on an earlier version: they must be"
                " taken again before the plan is published",
                field="sign_off",
            )
    update_recorded(session, actor, "plan", plan, {"status": target}, action=target)
    if target == "submitted":
        _reopen_undecided(session, actor, plan)
        snapshot = take_snapshot(session, actor, plan, "submitted")
        follow_decisions(session, actor, plan, snapshot.fingerprint)
    return plan


def _reopen_undecided(session: Session, actor: Actor, plan: Plan) -> None:
    """A resubmission asks again those who rejected or deferred; the audit log keeps their answer."""
    for step in plan.steps:
        if step.decision in ("rejected", "deferred"):
            update_recorded(
                session,
                actor,
                "sign_off_step",
                step,
                {
                    "decision": None,
                    "actual_date": None,
                    "recorded_by": None,
                    "decision_note": None,
                    "decided_snapshot": None,
                },
                action="reopen",
            )
