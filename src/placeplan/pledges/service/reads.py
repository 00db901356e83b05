"""Reading a plan's pledges and interventions: whoever may read a plan may read them. Each
measure is judged by the status rules; the pages' reads carry each measure's stored figure and
what the asker may do."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.errors import NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.governance.models import Body
from placeplan.measures.models import Metric
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.pledges.domain import status as rules
from placeplan.pledges.domain.timelines import runs_in, timeline_status
from placeplan.pledges.models import Intervention, Pledge, PledgeMeasure, PledgePartnership
from placeplan.pledges.service.paths import FollowedPath, followed_paths

PLEDGE_KINDS = frozenset({"five_year_plan", "strategy_delivery_plan"})


def can_record(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def place_name(plan: Plan) -> str:
    return plan.area.name if plan.area else plan.system.name if plan.system else "this plan"


def editable_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = get_plan(session, actor, plan_id)
    require(can_record(actor, plan), f"change the pledges of {place_name(plan)}'s plans")
    return plan


@dataclass
class MeasureView:
    measure: PledgeMeasure
    assessment: rules.Assessment
    # The latest stored measurement of a linked catalogue metric (service.stored), when asked for.
    stored: Any = None
    # The yearly targets of an allocation's glide path the measure follows (service.paths).
    path: FollowedPath | None = None

    @property
    def status(self) -> str:
        return self.assessment.status


@dataclass
class PledgeView:
    pledge: Pledge
    measures: list[MeasureView]
    status: str
    interventions: list[Intervention] = field(default_factory=list)

    @property
    def accountable(self) -> list[PledgePartnership]:
        return list(self.pledge.partnerships)


def assess(measure: PledgeMeasure, path: FollowedPath | None = None) -> rules.Assessment:
    """The measure's status: against the glide path it follows for the latest value's year,
    where it follows one that covers that year, else against its own baseline and target."""
    if path is not None:
        on_path = rules.assess_on_path(
            measure.direction, path.targets, measure.latest_value, measure.latest_period
        )
        if on_path is not None:
            return on_path
    return rules.assess(
        measure.direction,
        measure.baseline_value,
        measure.baseline_period,
        measure.target_value,
        measure.target_period,
        measure.latest_value,
        measure.latest_period,
    )


def _view(pledge: Pledge, paths: Mapping[int, FollowedPath]) -> PledgeView:
    measures = [
        MeasureView(m, assess(m, paths.get(m.id)), path=paths.get(m.id)) for m in pledge.measures
    ]
    return PledgeView(pledge, measures, rules.pledge_status([m.status for m in measures]))


def _pledge_query(plan_id: int) -> Any:
    return (
        select(Pledge)
        .where(Pledge.plan_id == plan_id)
        .order_by(Pledge.position)
        .options(
            selectinload(Pledge.measures),
            selectinload(Pledge.partnerships).selectinload(PledgePartnership.body),
        )
    )


def list_pledges(session: Session, actor: Actor, plan_id: int) -> tuple[Plan, list[PledgeView]]:
    plan = get_plan(session, actor, plan_id)
    pledges = list(session.scalars(_pledge_query(plan_id)))
    paths = followed_paths(session, actor, (m for p in pledges for m in p.measures))
    return plan, [_view(p, paths) for p in pledges]


def get_pledge(session: Session, actor: Actor, plan_id: int, ref: str) -> tuple[Plan, PledgeView]:
    plan = get_plan(session, actor, plan_id)
    pledge = session.scalar(_pledge_query(plan_id).where(Pledge.ref == ref))
    if pledge is None:
        raise NotFound(f"no pledge {ref} in plan {plan_id}")
    view = _view(pledge, followed_paths(session, actor, pledge.measures))
    view.interventions = list(
        session.scalars(
            select(Intervention)
            .where(Intervention.pledge_id == pledge.id)
            .order_by(Intervention.position)
        )
    )
    return plan, view


def list_interventions(
    session: Session, actor: Actor, plan_id: int
) -> tuple[Plan, list[Intervention]]:
    plan = get_plan(session, actor, plan_id)
    rows = session.scalars(
        select(Intervention)
        .where(Intervention.plan_id == plan_id)
        .order_by(Intervention.position)
        .options(selectinload(Intervention.pledge))
    )
    return plan, list(rows)


@dataclass(frozen=True)
class InterventionsView:
    """A plan's interventions as filtered, with what the filters may choose from."""

    plan: Plan
    rows: list[Intervention]
    total: int  # before filtering
    pledges: list[tuple[str, str]]  # (ref, title) of the pledges interventions belong to
    years: list[int]  # the plan's financial years, by their starts


def interventions_view(
    session: Session,
    actor: Actor,
    plan_id: int,
    pledge: str | None = None,
    status: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> InterventionsView:
    """The interventions matching every filter given: `pledge` (a pledge's ref, or "none" for
    those of no pledge), `status` (timelines.TIMELINE_STATUSES, as at today's financial year) and
    `year` (a financial year's start: those running in it)."""
    plan, every = list_interventions(session, actor, plan_id)
    day = today or date.today()
    this_year = day.year if day.month >= 4 else day.year - 1
    rows = every
    if pledge:
        rows = [r for r in rows if (r.pledge.ref if r.pledge else "none") == pledge]
    if status:
        rows = [r for r in rows if timeline_status(r.start_year, r.end_year, this_year) == status]
    if year is not None:
        rows = [r for r in rows if runs_in(r.start_year, r.end_year, year)]
    pledges = {r.pledge.ref: r.pledge for r in every if r.pledge}
    return InterventionsView(
        plan,
        rows,
        len(every),
        [(ref, p.title) for ref, p in sorted(pledges.items(), key=lambda i: i[1].number)],
        list(range(plan.period_start, plan.period_end + 1)),
    )


def find_pledge(session: Session, plan_id: int, ref: str) -> Pledge:
    pledge = session.scalar(select(Pledge).where(Pledge.plan_id == plan_id, Pledge.ref == ref))
    if pledge is None:
        raise NotFound(f"no pledge {ref} in plan {plan_id}")
    return pledge


def find_measure(
    session: Session, actor: Actor, plan_id: int, pledge_ref: str, measure_ref: str
) -> PledgeMeasure:
    get_plan(session, actor, plan_id)
    measure = session.scalar(
        select(PledgeMeasure)
        .join(Pledge, PledgeMeasure.pledge_id == Pledge.id)
        .where(
            Pledge.plan_id == plan_id, Pledge.ref == pledge_ref, PledgeMeasure.ref == measure_ref
        )
    )
    if measure is None:
        raise NotFound(f"no measure {measure_ref} of pledge {pledge_ref} in plan {plan_id}")
    return measure


def bodies_for(session: Session, plan: Plan, also: Sequence[int] = ()) -> list[Body]:
    """The governance bodies a pledge of this plan may be accountable to: those of its area, its
    system and the system's areas (and any it is linked to now, wherever they are)."""
    system_id = plan.system_id or (plan.area.system_id if plan.area else None)
    wanted: list[Any] = []
    if plan.area_id is not None:
        wanted.append(Body.area_id == plan.area_id)
    if system_id is not None:
        wanted.append(Body.system_id == system_id)
        wanted.append(Body.area_id.in_(select(Area.id).where(Area.system_id == system_id)))
    if also:
        wanted.append(Body.id.in_(list(also)))
    if not wanted:
        return []
    return list(session.scalars(select(Body).where(or_(*wanted)).order_by(Body.name)))


def metric_choices(session: Session) -> list[Metric]:
    return list(session.scalars(select(Metric).order_by(Metric.name)))


def current_partnerships(session: Session, pledge: Pledge) -> list[PledgePartnership]:
    return list(
        session.scalars(
            select(PledgePartnership)
            .where(PledgePartnership.pledge_id == pledge.id)
            .order_by(PledgePartnership.position, PledgePartnership.id)
        )
    )
