"""The system's urgent and emergency care priorities a plan answers, each linked to the plan's
BCF schemes (by the budget's scheme ids) that support it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from placeplan.budget.models import Scheme
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.narrative.domain.fields import UEC_PRIORITY
from placeplan.narrative.models import UecPriority, UecPriorityScheme
from placeplan.narrative.service.blocks import require_edit
from placeplan.plans.service import get_plan
from placeplan.store.changes import add_recorded

KIND = "uec_priority"


def priorities(session: Session, actor: Actor, plan_id: int) -> list[UecPriority]:
    plan = get_plan(session, actor, plan_id)
    return list(
        session.scalars(
            select(UecPriority)
            .where(UecPriority.plan_id == plan.id)
            .options(selectinload(UecPriority.links).selectinload(UecPriorityScheme.scheme))
            .order_by(UecPriority.position)
        )
    )


def scheme_choices(session: Session, actor: Actor, plan_id: int) -> list[Scheme]:
    """The plan's schemes a priority may link, for an editor's form."""
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    return list(
        session.scalars(select(Scheme).where(Scheme.plan_id == plan.id).order_by(Scheme.name))
    )


def scheme_refs_of(session: Session, plan_id: int) -> list[str]:
    """The ids of the plan's schemes, in the budget's order."""
    return [
        ref
        for ref in session.scalars(
            select(Scheme.ref).where(Scheme.plan_id == plan_id).order_by(Scheme.id)
        )
        if ref
    ]


def add_priority(
    session: Session,
    actor: Actor,
    plan_id: int,
    title: str,
    support: str,
    scheme_refs: Sequence[str],
) -> UecPriority:
    """A priority, after the plan's last, linked to the schemes named by their ids in the budget
    (its `ref`s, as the planning workbook numbers them); a scheme the plan lacks, or one named
    twice, is refused in core.fields' words."""
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    title, support = title.strip(), support.strip()
    UEC_PRIORITY.check({"title": title, "support": support})
    if not title:
        raise InputError("enter the priority", field="title")
    offered = scheme_refs_of(session, plan.id)
    refs = UEC_PRIORITY.items("schemes").among(list(scheme_refs), offered, "the plan's budget's")
    schemes = {
        s.ref: s
        for s in session.scalars(
            select(Scheme).where(Scheme.plan_id == plan.id, Scheme.ref.in_(refs))
        )
    }
    last = session.scalar(
        select(func.max(UecPriority.position)).where(UecPriority.plan_id == plan.id)
    )
    priority = add_recorded(
        session,
        actor,
        KIND,
        UecPriority(plan_id=plan.id, position=(last or 0) + 1, title=title, support=support),
    )
    for n, ref in enumerate(refs):
        session.add(
            UecPriorityScheme(priority_id=priority.id, scheme_id=schemes[ref].id, position=n)
        )
    session.flush()
    return priority
