"""Plans as records: adding, finding, listing and editing them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from placeplan.areas.models import Area, System
from placeplan.areas.service import get_area, get_system
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.periods import FinancialYear, Period, parse_period
from placeplan.core.permissions import (
    can_edit_plan,
    can_read_plan,
    is_assurer,
    is_system_wide,
    require,
)
from placeplan.plans import domain as rules
from placeplan.plans.models import Plan, SignOffStep
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

PLAN_EDITABLE = ["title", "summary", "period_start", "period_end"]


def period_of(plan: Plan) -> Period:
    return Period(FinancialYear(plan.period_start), FinancialYear(plan.period_end))


def _plan_query() -> Select[Plan]:
    """A plan with its area or system joined in, and its chain's steps with each step's body and
    organisation joined in: two statements, not five (every plan page and its first view ask)."""
    steps = selectinload(Plan.steps)
    return select(Plan).options(
        joinedload(Plan.area),
        joinedload(Plan.system),
        steps.joinedload(SignOffStep.body),
        steps.joinedload(SignOffStep.organisation),
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
    rules.PLAN.check({"title": title.strip(), "summary": summary})
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


def readable_clause(actor: Actor) -> ColumnElement[bool] | None:
    """The plans the asker may read, as a condition (None: every plan): published ones, and the
    unpublished ones `can_read_plan` allows."""
    if is_system_wide(actor) or is_assurer(actor):
        return None
    p = actor.principal
    if p is None:
        return Plan.status == "published"
    on_chain = exists().where(
        SignOffStep.plan_id == Plan.id,
        or_(SignOffStep.body_id.in_(p.body_ids), SignOffStep.organisation_id == p.organisation_id),
    )
    return or_(
        Plan.status == "published",
        Plan.area_id.in_(p.area_ids),
        Plan.system_id.in_(p.system_ids),
        on_chain,
    )


def may_read_internals(actor: Actor, plan: Plan) -> bool:
    """What is kept for those who run a plan (who recorded what, internal notes, its versions):
    for those who may read it unpublished, whatever its status."""
    return can_read_plan(
        actor,
        plan.area_id,
        plan.system_id,
        frozenset(s.body_id for s in plan.steps if s.body_id is not None),
        frozenset(s.organisation_id for s in plan.steps if s.organisation_id is not None),
    )


def may_read(actor: Actor, plan: Plan) -> bool:
    """Whether the asker may read this plan (as `readable_clause`, for a plan in hand)."""
    return plan.status == "published" or may_read_internals(actor, plan)


def readable_plan_query(actor: Actor) -> Select[int] | None:
    """A query of the ids of the plans the asker may read, to use inside another query (a long
    list of ids costs a reader's every statement its planning); None for every plan."""
    clause = readable_clause(actor)
    return None if clause is None else select(Plan.id).where(clause)


def readable_plan_ids(session: Session, actor: Actor) -> set[int] | None:
    """The ids of the plans the asker may read; None for every plan."""
    clause = readable_clause(actor)
    return None if clause is None else set(session.scalars(select(Plan.id).where(clause)))


def list_plans(
    session: Session,
    actor: Actor,
    area_id: int | None = None,
    system_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Plan]:
    """The plans the asker may read, newest period first; `limit` and `offset` take one page."""
    # Each plan's area or system joined in (many to one): one statement, not three.
    query = select(Plan).options(joinedload(Plan.area), joinedload(Plan.system))
    if (clause := readable_clause(actor)) is not None:
        query = query.where(clause)
    if area_id is not None:
        query = query.where(Plan.area_id == area_id)
    if system_id is not None:
        query = query.where(Plan.system_id == system_id)
    query = query.order_by(Plan.period_start.desc(), Plan.title, Plan.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.scalars(query))


def count_plans(session: Session, actor: Actor) -> int:
    """How many plans the asker may read."""
    query = select(func.count()).select_from(Plan)
    if (clause := readable_clause(actor)) is not None:
        query = query.where(clause)
    return session.scalar(query) or 0


def drafts_of_mine(session: Session, actor: Actor) -> list[Plan]:
    """Plans in draft of the areas (or the system) the person's organisation has a part in."""
    principal = actor.principal
    if principal is None:
        return []
    query = _plan_query().where(
        Plan.status == "draft",
        or_(Plan.area_id.in_(principal.area_ids), Plan.system_id.in_(principal.system_ids)),
    )
    return list(session.scalars(query.order_by(Plan.period_start.desc(), Plan.title)))


def get_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = session.scalar(_plan_query().where(Plan.id == plan_id))
    # Unpublished plans do not exist for the public: a 404 tells them nothing they may not know.
    if plan is None or not may_read(actor, plan):
        raise NotFound(f"no plan {plan_id}")
    return plan


def require_edit(actor: Actor, plan: Plan) -> None:
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
    require_edit(actor, plan)
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
    rules.PLAN.check(changes)
    if period is not None:
        parsed = parse_period(period)
        changes["period_start"] = parsed.first.start_year
        changes["period_end"] = parsed.last.start_year
    update_recorded(session, actor, "plan", plan, changes)
    return plan


def plans_in_area(session: Session, actor: Actor, area_id: int) -> list[Plan]:
    """The plans about one area that the asker may see."""
    return list_plans(session, actor, area_id=area_id)
