"""Capacity models kept with a plan: the service on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from placeplan.capacity import service as capacity
from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, build_world

SMALL = """\
name: one ward
start: 2025-04
days: 365
warm_up_days: 30
acute_discharges_per_day: 50
acute_bed_day_cost: 450.505
services:
  - id: P2
    kind: beds
    arrivals_per_day: 5
    length_of_stay: {distribution: exponential, mean: 4}
    capacity: 22
    cost_per_day: 180.125
"""


def small(**changes) -> str:
    data = yaml.safe_load(SMALL)
    data["services"][0].update(changes)
    return yaml.safe_dump(data, sort_keys=False)


def audit_count(s) -> int:
    return (
        s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_kind != "sign_in")
        )
        or 0
    )


def make_model(sessions, world, who="county-editor", text=SMALL) -> int:
    with unit_of_work(sessions) as s:
        return capacity.create_model(s, actor_for(s, who), world.plan_id, "Base", text).id


def test_create_update_and_audit(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        model = capacity.update_model(s, editor, model_id, 1, scenario_yaml=small(capacity=25))
        assert model.version == 2
    with sessions() as s:
        kinds = s.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_kind == "capacity_model")
        ).all()
        assert kinds == ["create", "update"]
        assert [
            m.name for m in capacity.list_models(s, actor_for(s, "county-viewer"), world.plan_id)
        ] == ["Base"]


def test_bad_yaml_is_refused_naming_the_field_and_nothing_is_written(sessions):
    world = build_world(sessions)
    with sessions() as s:
        before = audit_count(s)
    with pytest.raises(InputError) as caught:
        make_model(sessions, world, text=small(arrivals_per_day=-1))
    assert caught.value.field == "services[0].arrivals_per_day"
    with pytest.raises(InputError) as caught:
        make_model(sessions, world, text=small(arrivals_per_day=[1] * 11))
    assert caught.value.field == "services[0].arrivals_per_day"
    with sessions() as s:
        assert audit_count(s) == before
        assert s.scalar(select(func.count()).select_from(CapacityModel)) == 0


def test_a_stale_version_is_a_conflict(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        capacity.update_model(s, actor_for(s, "county-editor"), model_id, 1, name="First")
    with pytest.raises(Conflict) as caught, unit_of_work(sessions) as s:
        capacity.update_model(s, actor_for(s, "county-admin"), model_id, 1, name="Second")
    assert caught.value.current_version == 2 and "name" in caught.value.changes
    with sessions() as s:
        assert s.get(CapacityModel, model_id).name == "First"


def test_run_stores_results_with_costs_in_pence_and_compare(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        first = capacity.run_model(s, editor, model_id, replications=50, seed=3).id
        second = capacity.run_model(s, editor, model_id, replications=50, seed=4).id
    with sessions() as s:
        run = capacity.get_run(s, actor_for(s, "county-viewer"), first)
        assert (run.status, run.replications, run.seed) == ("finished", 50, 3)
        p2 = run.results["services"]["P2"]
        assert len(p2["monthly"]) == 12 and p2["mean_wait_days"]["value"] >= 0
        assert "total_cost" not in p2 and isinstance(p2["total_cost_pence"]["value"], int)
        # 22 beds at £180.125 a day are costed per occupied day: at most 22 * 18012.5p * 366 days
        assert 0 < p2["service_cost_pence"]["value"] <= 22 * 18013 * 366
        assert isinstance(run.results["total_cost_pence"]["value"], int)
        assert "share_on_drd" in run.results["discharge_metric"]
        comparison = capacity.compare_runs(s, operator(), world.plan_id, [first, second])
        doc = comparison.as_dict()
        assert [r["seed"] for r in doc["runs"]] == [3, 4]
        assert len(doc["services"]["P2"]["mean_wait_days"]) == 2
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind == "capacity_run")
            )
            == 2
        )
    with pytest.raises(InputError), sessions() as s:
        capacity.compare_runs(s, operator(), world.plan_id, [first])


def test_pence_rounds_half_up_through_decimal():
    assert capacity.pence(450.505) == 45051
    assert capacity.pence(0.125) == 13
    assert capacity.pence(float("nan")) is None
    assert capacity.costs_in_pence({"total_cost": {"value": 1.005, "low": None}}) == {
        "total_cost_pence": {"value": 101, "low": None}
    }


def test_size_reports_capacity_needed_and_gap(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with sessions() as s:
        doc = capacity.size_model(
            s, actor_for(s, "county-editor"), model_id, "P2", "mean_wait_days<=0.5", 40
        )
        assert doc["met"] and doc["capacity_now"] == 22
        assert doc["capacity_needed"] == 22 + doc["gap"]
        with pytest.raises(InputError) as caught:
            capacity.size_model(s, operator(), model_id, "P9", "mean_wait_days<=0.5", 40)
        assert caught.value.field == "service"


@pytest.mark.parametrize("who", ["icb-viewer", "county-viewer"])  # roles that read, not run
def test_others_cannot_edit_or_run_the_countys_model(sessions, who):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with sessions() as s:
        actor = actor_for(s, who)
        with pytest.raises(Forbidden):
            capacity.create_model(s, actor, world.plan_id, "Mine", SMALL)
        with pytest.raises(Forbidden):
            capacity.update_model(s, actor, model_id, 1, name="Mine")
        with pytest.raises(Forbidden):
            capacity.run_model(s, actor, model_id, replications=10)
        capacity.get_model(s, actor, model_id)  # reading is fine once signed in
        s.rollback()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(CapacityRun)) == 0
        with pytest.raises(NotFound):  # signed out: the draft plan's model does not exist
            capacity.get_model(s, operator().__class__(name="anonymous"), model_id)


def test_demo_model_is_attached_once(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        assert capacity.load_demo_models(s, operator("demo")) is None  # no demo plan yet
        s.get(Plan, world.plan_id).key = capacity.DEMO_PLAN_KEY
    for _ in range(2):
        with unit_of_work(sessions) as s:
            model = capacity.load_demo_models(s, operator("demo"))
            assert model is not None and model.name == capacity.DEMO_MODEL_NAME
    with sessions() as s:
        models = capacity.list_models(s, operator(), world.plan_id)
        assert [m.name for m in models] == [capacity.DEMO_MODEL_NAME]
        assert s.scalar(select(func.count()).select_from(CapacityRun)) == 0
