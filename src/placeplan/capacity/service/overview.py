"""What the capacity pages show, read for the asking actor: a plan's models with their made runs,
and a model with its runs (the one chosen to show, those queued or running, the latest failures)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.capacity.service.runs import ACTIVE, FAILED, FINISHED
from placeplan.capacity.service.stored import can_edit, get_model, list_models, runs_of, validate
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan


@dataclass
class PlanModels:
    plan: Plan
    models: list[CapacityModel]
    runs: dict[int, list[CapacityRun]]  # made runs only, by model
    can_edit: bool


def plan_models(session: Session, actor: Actor, plan_id: int) -> PlanModels:
    """A plan's models, each with its made runs (queued, running and failed ones have nothing to
    show or compare)."""
    plan = get_plan(session, actor, plan_id)
    models = list_models(session, actor, plan_id)
    runs = {
        m.id: [r for r in runs_of(session, actor, m.id) if r.status == FINISHED] for m in models
    }
    return PlanModels(plan, models, runs, can_edit(actor, plan))


@dataclass
class ModelOverview:
    model: CapacityModel
    made: list[CapacityRun]
    active: list[CapacityRun]
    failed: list[CapacityRun]
    run: CapacityRun | None  # the made run shown: the one asked for, else the latest
    service_ids: list[str] = field(default_factory=list)
    # each service's plain name, by id (the id where the scenario gives none)
    service_names: dict[str, str] = field(default_factory=dict)
    can_edit: bool = False


def finished_run(
    session: Session, actor: Actor, model_id: int, run_id: int | None = None
) -> CapacityRun | None:
    """The model's made run `run_id`, or (none asked, or not one of them) its latest made run."""
    made = [r for r in runs_of(session, actor, model_id) if r.status == FINISHED]
    chosen = next((r for r in made if r.id == run_id), None) if run_id else None
    return chosen or (made[0] if made else None)


def shown_run(session: Session, actor: Actor, model_id: int, run_id: int | None) -> CapacityRun:
    """`finished_run`, refusing when the model has not been run yet (its CSV has nothing)."""
    chosen = finished_run(session, actor, model_id, run_id)
    if chosen is None:
        raise InputError("this model has not been run yet", field="run")
    return chosen


def model_overview(
    session: Session, actor: Actor, model_id: int, run_id: int | None = None
) -> ModelOverview:
    model = get_model(session, actor, model_id)
    runs = runs_of(session, actor, model_id)
    made = [r for r in runs if r.status == FINISHED]
    run = next((r for r in made if r.id == run_id), None) if run_id else None
    run = run or (made[0] if made else None)
    results = (run.results or {}) if run else {}
    names: dict[str, str] = {
        sid: doc.get("name") or sid for sid, doc in results.get("services", {}).items()
    }
    if not names:
        try:
            names = {s.id: s.label for s in validate(model.scenario_yaml).services}
        except InputError:
            names = {}
    return ModelOverview(
        model=model,
        made=made,
        active=[r for r in runs if r.status in ACTIVE],
        failed=[r for r in runs if r.status == FAILED][:3],
        run=run,
        service_ids=list(names),
        service_names=names,
        can_edit=can_edit(actor, model.plan),
    )
