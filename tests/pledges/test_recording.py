"""Recording a measure's latest value on SQLite and PostgreSQL: its version check and audit
trail, permissions, and bad input refused with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.pledges import service
from placeplan.pledges.models import PledgeMeasure
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for


def test_recording_a_latest_value_checks_the_version(sessions, pledge_world):
    measure_id = pledge_world.measures["2.1"]
    editor_name = "county-editor"
    with unit_of_work(sessions) as s:
        editor = actor_for(s, editor_name)
        # 1,000 -> 600, line at 800 in 2024-25: 790 is better than the line, so on track.
        saved = service.record_latest(s, editor, measure_id, 1, "790", "2024-25")
        assert (saved.latest_value, saved.latest_period, saved.version) == (
            Decimal(790),
            "2024-25",
            2,
        )
        assert service.assess(saved).status == "on_track"
    with sessions() as s:
        editor = actor_for(s, editor_name)
        # Someone who opened the form at version 1 is refused and told what moved since.
        with pytest.raises(Conflict) as caught:
            service.record_latest(s, editor, measure_id, 1, "700", "2025-26")
        assert caught.value.current_version == 2
        # Only the value moved (850 -> 790); the period was 2024-25 before and after.
        moved = {
            k: tuple(Decimal(str(v)) for v in pair) for k, pair in caught.value.changes.items()
        }
        assert moved == {"latest_value": (Decimal(850), Decimal(790))}
        s.rollback()
    with sessions() as s:
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_kind == "pledge_measure",
                AuditEvent.entity_id == measure_id,
                AuditEvent.action == "update",
            )
        ).all()
        assert [(e.actor, e.after["latest_period"]) for e in events] == [(editor_name, "2024-25")]


@pytest.mark.parametrize(
    ("value", "period", "field"),
    [
        ("lots", "2024-25", "latest_value"),
        ("700", "", "latest_period"),  # a value needs its period
        ("", "2024-25", "latest_value"),
        ("700", "2022-23", "latest_period"),  # before the baseline
        ("700", "next year", "latest_period"),
    ],
)
def test_a_bad_latest_value_is_refused_and_nothing_written(
    sessions, pledge_world, value, period, field
):
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            service.record_latest(s, operator(), pledge_world.measures["2.1"], None, value, period)
        assert caught.value.field == field
        s.rollback()
        measure = s.get(PledgeMeasure, pledge_world.measures["2.1"])
        assert (measure.latest_value, measure.version) == (Decimal(850), 1)


def test_a_measure_still_to_be_defined_takes_no_value(sessions, pledge_world):
    with sessions() as s, pytest.raises(InputError):
        service.record_latest(s, operator(), pledge_world.measures["1.2"], None, "5", "2024-25")


def test_only_editors_of_the_plans_area_record_values(sessions, pledge_world):
    measure_id = pledge_world.measures["1.1"]
    with sessions() as s:
        for username in ("county-viewer", "county-approver", "city-editor"):
            with pytest.raises((Forbidden, NotFound)):  # the city cannot see the county's draft
                service.record_latest(s, actor_for(s, username), measure_id, None, "75", "2024-25")
        # Signed out, the unpublished plan does not exist.
        with pytest.raises(NotFound):
            service.record_latest(s, ANONYMOUS, measure_id, None, "75", "2024-25")
        with pytest.raises(NotFound):
            service.list_pledges(s, ANONYMOUS, pledge_world.plan_id)
        # A role in an organisation with a part in the plan's area reads them.
        assert (
            len(service.list_pledges(s, actor_for(s, "icb-viewer"), pledge_world.plan_id)[1]) == 2
        )
        service.record_latest(s, actor_for(s, "icb-editor"), measure_id, None, "75", "2024-25")
        s.rollback()
