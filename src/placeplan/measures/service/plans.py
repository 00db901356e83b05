"""A plan's measures: its ambitions with their checks and standing, the figures a reader may see,
the budget's schemes that name each metric, and the capacity models' predictions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.models import Scheme
from placeplan.capacity import service as capacity_service
from placeplan.core.actor import Actor
from placeplan.measures.domain.ambitions import ChangeCheck
from placeplan.measures.domain.suppression import Cell, is_primary
from placeplan.measures.models import Ambition, Metric
from placeplan.measures.service.ambitions import Progress, ambitions_for, check_ambition, progress
from placeplan.measures.service.metrics import list_metrics
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan


def schemes_by_metric(session: Session, plan: Plan) -> dict[str, list[Scheme]]:
    """The schemes of a BCF plan's budget that name each metric (by key), by scheme name."""
    found: dict[str, list[Scheme]] = {}
    if plan.kind != "bcf_plan":
        return found
    for scheme in session.scalars(
        select(Scheme).where(Scheme.plan_id == plan.id).order_by(Scheme.name)
    ):
        for key in scheme.metrics or []:
            found.setdefault(key, []).append(scheme)
    return found


@dataclass(frozen=True)
class PlanMeasures:
    plan: Plan
    ambitions: list[tuple[Ambition, ChangeCheck | None]]
    progress: dict[int, Progress]  # by ambition id
    withheld: frozenset[int]  # ambitions whose figure this reader may not see (small numbers)


def plan_ambitions(session: Session, actor: Actor, plan_id: int) -> PlanMeasures:
    """The plan's ambitions and their standing, as `actor` may see them: signed-out readers get
    figures resting on fewer than 10 withheld."""
    plan = get_plan(session, actor, plan_id)
    ambitions = [(a, check_ambition(a)) for a in ambitions_for(session, plan_id=plan.id)]
    found = {p.ambition.id: p for p in progress(session, plan_id=plan.id)}
    public = actor.principal is None
    withheld = frozenset(
        ident
        for ident, p in found.items()
        if public
        and p.measurement is not None
        and is_primary(
            Cell(p.measurement.period, p.measurement.numerator, p.measurement.denominator)
        )
    )
    return PlanMeasures(plan, ambitions, found, withheld)


@dataclass(frozen=True)
class PlanMeasuresPage:
    measures: PlanMeasures
    schemes: dict[str, list[Scheme]]
    metrics: dict[str, Metric]
    predicted: list[dict[str, Any]]


def plan_measures_page(session: Session, actor: Actor, plan_id: int) -> PlanMeasuresPage:
    """Everything the plan's metrics page shows."""
    measures = plan_ambitions(session, actor, plan_id)
    return PlanMeasuresPage(
        measures,
        schemes_by_metric(session, measures.plan),
        {m.key: m for m in list_metrics(session)},
        capacity_service.predicted_metrics(session, actor, measures.plan.id),
    )
