"""A plan's capacity and demand plan, from its capacity model's latest finished run, read through
the capacity concept's services only (its engine's accounting is its own), and the gap its sizing
finds for the bedded discharge service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.capacity import service as capacity
from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.narrative.domain.capacity_plan import CapacityPlan, Sizing, services_from
from placeplan.plans.service import get_plan

# The gap is sized as the model's notes size it: the least P2 beds that bring the mean wait for a
# bed to half a day or less.
SIZED_SERVICE = "P2"
SIZING_TARGET = "mean_wait_days<=0.5"
SIZING_REPLICATIONS = 40


def _model_and_run(
    session: Session, actor: Actor, plan_id: int
) -> tuple[CapacityModel, CapacityRun] | None:
    for model in capacity.plan_models(session, actor, plan_id).models:
        run = capacity.finished_run(session, actor, model.id)
        if run is not None and run.results:
            return model, run
    return None


def sizing(
    session: Session, actor: Actor, model: CapacityModel, replications: int
) -> Sizing | None:
    scenario = capacity.validate(model.scenario_yaml)
    if SIZED_SERVICE not in {s.id for s in scenario.services} or replications < 1:
        return None
    doc = capacity.size_model(
        session, actor, model.id, SIZED_SERVICE, SIZING_TARGET, replications=replications
    )
    return Sizing(
        service=SIZED_SERVICE,
        target="a mean wait for a place of half a day or less",
        today=doc.get("capacity_now"),
        needed=doc.get("capacity_needed"),
        gap=doc.get("gap"),
        replications=replications,
        unit=str(doc.get("unit") or "beds"),
    )


def capacity_plan(
    session: Session, actor: Actor, plan_id: int, replications: int = SIZING_REPLICATIONS
) -> CapacityPlan | None:
    """None when the plan has no capacity model with a finished run. `replications` for the
    sizing (0: not sized)."""
    plan = get_plan(session, actor, plan_id)
    found = _model_and_run(session, actor, plan.id)
    if found is None:
        return None
    model, run = found
    results = run.results or {}
    try:
        scenario = capacity.validate(run.scenario_yaml)
        interims = {
            s.id: s.interim.replace("_", " ") for s in scenario.services if s.interim is not None
        }
    except InputError:
        interims = {}
    return CapacityPlan(
        plan_title=plan.title,
        model_name=model.name,
        run_label=(
            f"run of {run.started_at:%d %B %Y}, {run.replications:,} replications, random seed {run.seed}"
        ),
        months=tuple(str(m) for m in results.get("months") or []),
        services=services_from(results, interims),
        assumptions=tuple(str(n) for n in results.get("notes") or []),
        sizing=sizing(session, actor, model, replications),
    )


def require_plan(session: Session, actor: Actor, plan_id: int, replications: int) -> CapacityPlan:
    found = capacity_plan(session, actor, plan_id, replications)
    if found is None:
        raise InputError(
            "the plan has no capacity model with a finished run: run its model first",
            field="plan",
        )
    return found
