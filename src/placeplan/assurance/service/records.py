"""Assurance of the plans in an assurer's scope: each plan's checklist, rating, conditions and
escalation, and the dashboard of a region's plans. Assurers keep assurance records; the plans
stay their HWBs' (an assurer holds no editing role, so every plan edit refuses them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from placeplan.areas.models import Area, Region, System
from placeplan.assurance import domain
from placeplan.assurance.models import AssuranceRecord
from placeplan.budget.service import document_for, submission_problems
from placeplan.capacity.service import model_count
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound, SignInNeeded
from placeplan.core.permissions import assures_everywhere, can_assure, is_assurer, require
from placeplan.measures.service.snapshot import metrics_lacking_ambitions
from placeplan.narrative.domain.headings import HEADINGS
from placeplan.narrative.service.blocks import blocks_of
from placeplan.plans import service as plans
from placeplan.plans.domain import missing_sign_off
from placeplan.plans.models import Plan, SignOffStep
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.revisions import ReuseCache
from placeplan.store.uow import check_version

EDITABLE = ["answers", "rating", "conditions", "comments", "escalated", "escalation_note"]


def require_assurer(actor: Actor) -> None:
    if not actor.trusted and actor.principal is None:
        raise SignInNeeded("sign in to read or keep assurance records")
    require(is_assurer(actor), "read or keep assurance records (regional and national teams)")


def scope_region_ids(actor: Actor) -> frozenset[int] | None:
    """The regions whose plans `actor` assures; None for every region."""
    require_assurer(actor)
    if assures_everywhere(actor):
        return None
    assert actor.principal is not None
    return actor.principal.region_ids


def _plan_in_scope(session: Session, actor: Actor, plan_id: int) -> tuple[Plan, Region | None]:
    require_assurer(actor)
    plan = session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            joinedload(Plan.area).joinedload(Area.system).joinedload(System.region),
            joinedload(Plan.system).joinedload(System.region),
            # The chain's steps with whom each is for: the checklist reads the steps, and the
            # plan's fingerprint, on a first view, names each step's body or organisation.
            selectinload(Plan.steps).joinedload(SignOffStep.body),
            selectinload(Plan.steps).joinedload(SignOffStep.organisation),
        )
    )
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    system = plan.area.system if plan.area else plan.system
    region = system.region if system else None
    require(can_assure(actor, region.id if region else None), f"assure {plan.title}")
    return plan, region


@dataclass(frozen=True)
class _Held:
    """What the checklist draws from what the plan holds."""

    funding_problems: tuple[str, ...]
    metrics_without_ambition: tuple[str, ...]
    narrative_written: int


# Reused while the plan's content token stands (it covers the budget, the ambitions and the
# narrative); the age bound covers what the token does not (a metric's new name, a district
# joining an area), as the budget's view does. A region's assurers open the same few plans.
HELD_TTL = 60.0
_held: ReuseCache[_Held] = ReuseCache(size=4096, ttl=HELD_TTL)


def _held_by(session: Session, plan: Plan) -> _Held:
    # One read of the budget serves the funding rules and the metrics its schemes name.
    document = document_for(session, plan) if plan.kind == "bcf_plan" else None
    named = {key for scheme in document.schemes for key in scheme.metrics} if document else set()
    return _Held(
        funding_problems=tuple(submission_problems(session, plan, document)),
        metrics_without_ambition=tuple(metrics_lacking_ambitions(session, plan, named)),
        narrative_written=sum(1 for b in blocks_of(session, plan.id).values() if b.text.strip()),
    )


def facts(session: Session, actor: Actor, plan: Plan) -> domain.Facts:
    """What the record says for the checklist: the plan's first submission, its chain, the funding
    rules (what blocks a submission), its ambitions, models and narrative."""
    token = plans.content_token.call(session, plan)
    standing = plans.chain_standing(session, plan, token=token)
    first = standing.first_taken  # the chain reads every version (without its content)
    unsigned = sum(1 for s in standing.steps if s.step.decision != "approved" or s.standing.stale)
    key = (str(session.get_bind().engine.url), plan.id)
    held = _held.get_or_make(key, token, lambda: _held_by(session, plan))
    return domain.Facts(
        period_start=plan.period_start,
        first_submitted=first.date() if first else None,
        missing_sign_off=tuple(
            missing_sign_off(
                plan.kind,
                {s.signatory_role for s in plan.steps},
                any(s.body_id for s in plan.steps),
            )
        ),
        unsigned_steps=unsigned,
        funding_problems=held.funding_problems,
        metrics_without_ambition=held.metrics_without_ambition,
        capacity_models=model_count(session, plan.id),
        narrative_written=held.narrative_written,
        narrative_headings=len(HEADINGS),
    )


@dataclass(frozen=True)
class AssuranceView:
    plan: Plan
    region: Region | None
    record: AssuranceRecord | None
    checklist: list[domain.Answer]


def record_of(session: Session, plan_id: int) -> AssuranceRecord | None:
    return session.scalar(select(AssuranceRecord).where(AssuranceRecord.plan_id == plan_id))


def assurance_view(session: Session, actor: Actor, plan_id: int) -> AssuranceView:
    plan, region = _plan_in_scope(session, actor, plan_id)
    record = record_of(session, plan.id)
    answers = domain.checklist(facts(session, actor, plan), record.answers if record else {})
    return AssuranceView(plan, region, record, answers)


def _checked(answers: list[domain.Answer]) -> dict[str, str | None]:
    return {a.item.key: None if a.met is None else ("yes" if a.met else "no") for a in answers}


def save_assurance(
    session: Session,
    actor: Actor,
    plan_id: int,
    version: int | None,
    *,
    answers: dict[str, str],
    rating: str | None,
    conditions: str | None,
    comments: str | None,
    escalated: bool,
    escalation_note: str | None,
) -> AssuranceRecord:
    """Keep the assurer's answers, rating, conditions, comments and escalation, with the
    checklist as it stood when they saved (what the dashboard counts)."""
    plan, _region = _plan_in_scope(session, actor, plan_id)
    kept = domain.check_answers(answers)
    texts = {
        "conditions": (conditions or "").strip() or None,
        "comments": (comments or "").strip() or None,
        "escalation_note": (escalation_note or "").strip() or None,
    }
    domain.ASSURANCE.check(texts)
    domain.check_rating(rating or None, texts["conditions"])
    if escalated and not texts["escalation_note"]:
        raise InputError("Say why the plan is escalated", field="escalation_note")
    checked = _checked(domain.checklist(facts(session, actor, plan), kept))
    values: dict[str, Any] = {
        "answers": kept,
        "checked": checked,
        "rating": rating or None,
        "escalated": escalated,
        **texts,
        "updated_at": utcnow(),
    }
    record = record_of(session, plan.id)
    if record is None:
        return add_recorded(
            session, actor, "assurance_record", AssuranceRecord(plan_id=plan.id, **values)
        )
    check_version(session, record, "assurance_record", version, EDITABLE)
    update_recorded(session, actor, "assurance_record", record, values)
    return record
