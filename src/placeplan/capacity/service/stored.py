"""Capacity models kept with a plan (a scenario's YAML): read, create and edit. Every write is
audited; visibility follows the plan's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.io.scenario import parse_scenario_text
from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

MODEL_EDITABLE = ["name", "scenario_yaml"]
MAX_YAML_CHARS = 200_000


def _require_edit(actor: Actor, plan: Plan) -> None:
    require(
        can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's capacity models"
    )


def can_edit(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def list_models(session: Session, actor: Actor, plan_id: int) -> list[CapacityModel]:
    get_plan(session, actor, plan_id)
    return list(
        session.scalars(
            select(CapacityModel)
            .where(CapacityModel.plan_id == plan_id)
            .order_by(CapacityModel.name, CapacityModel.id)
        )
    )


def model_count(session: Session, plan_id: int) -> int:
    """How many capacity models the plan holds, counted by the database; the caller has checked
    who may ask (the assurance checklist, which has already read the plan)."""
    return (
        session.scalar(select(func.count(CapacityModel.id)).where(CapacityModel.plan_id == plan_id))
        or 0
    )


def get_model(session: Session, actor: Actor, model_id: int) -> CapacityModel:
    model = session.get(CapacityModel, model_id)
    if model is None:
        raise NotFound(f"no capacity model {model_id}")
    get_plan(session, actor, model.plan_id)  # visibility follows the plan's
    return model


def runs_of(session: Session, actor: Actor, model_id: int) -> list[CapacityRun]:
    get_model(session, actor, model_id)
    return list(
        session.scalars(
            select(CapacityRun)
            .where(CapacityRun.model_id == model_id)
            .order_by(CapacityRun.id.desc())
        )
    )


def latest_run(session: Session, actor: Actor, model_id: int) -> CapacityRun | None:
    runs = runs_of(session, actor, model_id)
    return runs[0] if runs else None


def get_run(session: Session, actor: Actor, run_id: int) -> CapacityRun:
    row = session.get(CapacityRun, run_id)
    if row is None:
        raise NotFound(f"no capacity run {run_id}")
    get_model(session, actor, row.model_id)
    return row


def validate(text: str) -> Scenario:
    """The engine's own loader: bad input raises InputError naming the field."""
    if not text.strip():
        raise InputError("paste the scenario's YAML", field="scenario_yaml")
    if len(text) > MAX_YAML_CHARS:
        raise InputError(
            f"a scenario is at most {MAX_YAML_CHARS:,} characters", field="scenario_yaml"
        )
    return parse_scenario_text(text)


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("give the model a name", field="name")
    if len(name) > 200:
        raise InputError("a name is at most 200 characters", field="name")
    return name


def _unique_name(session: Session, plan_id: int, name: str, model_id: int | None = None) -> None:
    clash = session.scalar(
        select(CapacityModel.id).where(
            CapacityModel.plan_id == plan_id,
            CapacityModel.name == name,
            CapacityModel.id != (model_id or 0),
        )
    )
    if clash is not None:
        raise InputError(f"this plan already has a model named '{name}'", field="name")


def create_model(
    session: Session, actor: Actor, plan_id: int, name: str, scenario_yaml: str
) -> CapacityModel:
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    name = _name(name)
    validate(scenario_yaml)
    _unique_name(session, plan_id, name)
    now = utcnow()
    model = CapacityModel(
        plan_id=plan_id, name=name, scenario_yaml=scenario_yaml, created_at=now, updated_at=now
    )
    return add_recorded(session, actor, "capacity_model", model)


def update_model(
    session: Session,
    actor: Actor,
    model_id: int,
    expected_version: int | None,
    name: str | None = None,
    scenario_yaml: str | None = None,
) -> CapacityModel:
    model = get_model(session, actor, model_id)
    _require_edit(actor, model.plan)
    check_version(session, model, "capacity_model", expected_version, MODEL_EDITABLE)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = _name(name)
        _unique_name(session, model.plan_id, changes["name"], model.id)
    if scenario_yaml is not None:
        validate(scenario_yaml)
        changes["scenario_yaml"] = scenario_yaml
    changes = {k: v for k, v in changes.items() if getattr(model, k) != v}
    if changes:
        changes["updated_at"] = utcnow()
        update_recorded(session, actor, "capacity_model", model, changes)
    return model
