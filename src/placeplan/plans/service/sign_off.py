"""A plan's sign-off chain: its steps, and decisions bound to the version of the plan they
approved. A later change to what the plan holds makes those decisions stale; the plan is approved
(and may be published) only when every step has approved the version it now holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.differences import Differences
from placeplan.core.errors import Forbidden, InputError, NotFound
from placeplan.core.permissions import can_read_unpublished, can_sign_off
from placeplan.governance.models import Body
from placeplan.governance.service import get_body, get_body_by_key
from placeplan.organisations.models import Organisation
from placeplan.organisations.service import get_organisation, get_organisation_by_key
from placeplan.plans import domain as rules
from placeplan.plans.models import Plan, PlanSnapshot, SignOffStep
from placeplan.plans.service.records import get_plan, require_edit
from placeplan.plans.service.versions import (
    current_content,
    current_fingerprint,
    differences_between,
    known_fingerprint,
    list_snapshots,
    step_name,
)
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version


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
    require_edit(actor, plan)
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


@dataclass(frozen=True)
class StepStanding:
    step: SignOffStep
    standing: rules.Standing
    since: Differences | None  # what changed since the version it decided on, when stale


@dataclass(frozen=True)
class ChainStanding:
    """The chain against the plan as it is now."""

    fingerprint: str | None  # None when no step has a decision and the caller gave none
    latest: PlanSnapshot | None  # the latest version submitted
    steps: list[StepStanding]
    first_taken: datetime | None = None  # when the first version was submitted

    @property
    def version(self) -> int | None:
        return self.latest.number if self.latest else None

    @property
    def stale(self) -> list[StepStanding]:
        return [s for s in self.steps if s.standing.stale]

    def of(self, step_id: int) -> StepStanding:
        return next(s for s in self.steps if s.step.id == step_id)


def chain_standing(
    session: Session,
    plan: Plan,
    with_differences: bool = False,
    fingerprint: str | None = None,
    token: str | None = None,
) -> ChainStanding:
    """Each step's standing; with `with_differences`, what changed since each stale decision.
    `fingerprint` is the plan's now, when the caller has just worked it out or must have it
    fresh (a write); otherwise the one kept while the plan's content token stands is used, and
    only when a step has a decision to compare (a chain with none needs no fingerprint); `token`
    is the plan's content token, when the caller has just read it. The plan's whole content is
    read only to say what changed since a stale decision."""
    # Every version of the plan in one read, their contents left unread unless compared.
    versions = {v.id: v for v in list_snapshots(session, plan.id, with_content=False)}
    latest = max(versions.values(), key=lambda v: (v.number, v.id), default=None)
    now: str | None = fingerprint
    if now is None and any(step.decision is not None for step in plan.steps):
        now = known_fingerprint(session, plan, latest, token)
    content: dict[str, Any] | None = None
    steps: list[StepStanding] = []
    for step in plan.steps:
        decided = versions.get(step.decided_snapshot_id or 0)
        standing = rules.standing(
            step.decision,
            decided.number if decided else None,
            decided.fingerprint if decided else None,
            now or "",
        )
        since = None
        if with_differences and standing.stale and decided is not None:
            if content is None:
                content = current_content(session, plan)
            since = differences_between(session, dict(decided.content), content)
        steps.append(StepStanding(step, standing, since))
    first = min((v.taken_at for v in versions.values()), default=None)
    return ChainStanding(now, latest, steps, first)


def record_decision(
    session: Session,
    actor: Actor,
    step_id: int,
    decision: str,
    actual_date: date | None,
    expected_version: int | None = None,
    note: str | None = None,
    today: date | None = None,
    on_version: int | None = None,
) -> SignOffStep:
    """Record a step's decision on the version of the plan now submitted. `on_version` is the
    version the decider was shown: if the plan has been resubmitted since, they must look again."""
    step = _step(session, step_id)
    plan = get_plan(session, actor, step.plan_id)
    who = step_name(step)
    if not can_sign_off(actor, step.body_id, step.organisation_id):
        raise Forbidden(f"only an approver for {who} may record this sign-off")
    check_version(
        session,
        step,
        "sign_off_step",
        expected_version,
        ["decision", "actual_date", "decision_note"],
    )
    # A decision is checked against what the plan holds now, never a fingerprint kept for readers.
    now = current_fingerprint(session, plan)
    standing = chain_standing(session, plan, fingerprint=now)
    earlier = [
        (step_name(s.step), s.step.decision, s.standing.stale)
        for s in standing.steps
        if s.step.position < step.position
    ]
    rules.check_may_decide(plan.status, who, earlier)
    latest = standing.latest
    if latest is None or latest.fingerprint != now:
        raise InputError(
            "the plan has changed since it was submitted: its lead must submit it again before"
            " it is decided",
            field="status",
        )
    if on_version is not None and on_version != latest.number:
        raise InputError(
            f"you were looking at version {on_version}, but version {latest.number} is now"
            " submitted: review what changed, then decide on it",
            field="version",
        )
    own = standing.of(step.id)
    if step.decision in ("approved", "rejected") and not own.standing.stale:
        raise InputError(
            f"{who} has already {step.decision} this version of the plan", field="decision"
        )
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
        "decision_note": (note or "").strip() or None,
        "decided_snapshot": latest,
    }
    update_recorded(session, actor, "sign_off_step", step, changes, action="sign_off")
    session.refresh(plan, ["steps"])
    # A decision changes nothing the fingerprint covers: the one worked out above still holds.
    follow_decisions(session, actor, plan, now)
    return step


def follow_decisions(
    session: Session, actor: Actor, plan: Plan, fingerprint: str | None = None
) -> None:
    """Approve the plan once every step approved the version it holds; a rejection returns it.
    `fingerprint`: the plan's now, when the caller knows it."""
    now = fingerprint if fingerprint is not None else current_fingerprint(session, plan)
    standing = chain_standing(session, plan, fingerprint=now)
    new_status = rules.status_after_standing(
        plan.status, [(s.step.decision, s.standing.stale) for s in standing.steps]
    )
    if new_status != plan.status:
        update_recorded(
            session,
            actor,
            "plan",
            plan,
            {"status": new_status},
            action="approve" if new_status == "approved" else "return_to_draft",
        )


def offered_steps(status: str, chain: ChainStanding, actor: Actor) -> list[int]:
    """The steps this person may decide now: on a submitted plan, the first step of the chain
    not yet approved on the version it holds, if they sign for it."""
    if status != "submitted":
        return []
    for standing in chain.steps:
        step = standing.step
        if step.decision == "approved" and not standing.standing.stale:
            continue
        return [step.id] if can_sign_off(actor, step.body_id, step.organisation_id) else []
    return []


def steps_to_decide(session: Session, actor: Actor) -> list[tuple[Plan, SignOffStep]]:
    """Across every submitted plan, the steps this person may decide now (offered_steps). Only
    plans with a step they sign for have their chain's standing worked out."""
    if not can_read_unpublished(actor):
        return []
    submitted = session.scalars(
        select(Plan)
        .where(Plan.status == "submitted")
        .options(selectinload(Plan.steps))
        .order_by(Plan.period_start.desc(), Plan.title)
    )
    waiting: list[tuple[Plan, SignOffStep]] = []
    for plan in submitted:
        if not any(can_sign_off(actor, s.body_id, s.organisation_id) for s in plan.steps):
            continue
        offered = offered_steps(plan.status, chain_standing(session, plan), actor)
        waiting.extend((plan, s) for s in plan.steps if s.id in offered)
    return waiting
