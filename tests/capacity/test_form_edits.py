"""The model's forms as a service, on SQLite and PostgreSQL: each save stores the scenario's YAML
at the next version with an audit event, a stale version is a Conflict, a viewer is refused, and
a renamed or removed service takes the routes to it along."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from placeplan.capacity import service as capacity
from placeplan.capacity.domain.service_form import service_fields
from placeplan.capacity.models import CapacityModel
from placeplan.capacity.service import form_edits
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.capacity.conftest import DEMO
from tests.factories import actor_for, build_world


@pytest.fixture
def demo_model(sessions) -> int:
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        text = DEMO.read_text(encoding="utf-8")
        return capacity.create_model(
            s, actor_for(s, "county-editor"), world.plan_id, "LLR", text
        ).id


def scenario(sessions, model_id: int) -> tuple[dict, int]:
    with unit_of_work(sessions) as s:
        model = s.get(CapacityModel, model_id)
        return yaml.safe_load(model.scenario_yaml), model.version


def p2_fields(sessions, model_id: int) -> dict[str, str]:
    return service_fields(scenario(sessions, model_id)[0]["services"][1])


def test_a_save_is_versioned_and_audited_and_a_stale_one_is_a_conflict(sessions, demo_model):
    fields = p2_fields(sessions, demo_model) | {"surge_extra": "30"}
    with unit_of_work(sessions) as s:
        form_edits.save_service(s, actor_for(s, "county-editor"), demo_model, 1, "P2", fields)
    data, version = scenario(sessions, demo_model)
    assert data["services"][1]["surge"]["extra"] == 30 and version == 2
    with unit_of_work(sessions) as s:
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_kind == "capacity_model", AuditEvent.action == "update"
            )
        ).all()
        assert [e.entity_id for e in events] == [demo_model]
    with pytest.raises(Conflict), unit_of_work(sessions) as s:
        form_edits.save_service(s, actor_for(s, "county-editor"), demo_model, 1, "P2", fields)


def test_a_viewer_is_refused(sessions, demo_model):
    fields = p2_fields(sessions, demo_model)
    with pytest.raises(Forbidden), unit_of_work(sessions) as s:
        form_edits.save_service(s, actor_for(s, "county-viewer"), demo_model, 1, "P2", fields)


def test_a_refusal_names_the_form_field_and_saves_nothing(sessions, demo_model):
    fields = p2_fields(sessions, demo_model) | {"los_mean": "0"}
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        form_edits.save_service(s, actor_for(s, "county-editor"), demo_model, 1, "P2", fields)
    # the schema's own bound: a mean stay more than 0
    assert caught.value.field == "los_mean"
    assert caught.value.message == "The mean length of stay must be more than 0, got 0"
    assert scenario(sessions, demo_model)[1] == 1


def test_a_renamed_service_keeps_the_routes_to_it_and_a_removed_one_takes_them(
    sessions, demo_model
):
    p3 = service_fields(scenario(sessions, demo_model)[0]["services"][2]) | {"code": "P3-beds"}
    with unit_of_work(sessions) as s:
        form_edits.save_service(s, actor_for(s, "county-editor"), demo_model, 1, "P3", p3)
    data, _ = scenario(sessions, demo_model)
    assert data["services"][1]["onward"] == {"P3-beds": 0.1}
    with unit_of_work(sessions) as s:
        form_edits.remove_service(s, actor_for(s, "county-editor"), demo_model, 2, "P3-beds")
    data, version = scenario(sessions, demo_model)
    assert [x["id"] for x in data["services"]] == ["P1", "P2", "STEPUP"] and version == 3
    assert "onward" not in data["services"][1]
