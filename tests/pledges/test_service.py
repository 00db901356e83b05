"""Pledges stored and read on SQLite and PostgreSQL: loading, statuses, recording a latest value
with its version check and audit trail, permissions, and bad input refused with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.pledges import service
from placeplan.pledges.models import Intervention, Pledge, PledgeMeasure, PledgePartnership
from placeplan.store.audit import AuditEvent
from placeplan.store.registry import metadata
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for
from tests.pledges.conftest import document, make_pledge_plan

PLEDGE_TABLES = {"pledges", "pledge_measures", "pledge_partnerships", "plan_interventions"}


def test_the_migration_matches_the_models(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    ours = [d for d in diff if any(t in repr(d) for t in PLEDGE_TABLES)]
    assert ours == []


def test_a_document_loads_with_statuses_links_and_audit(sessions, pledge_world):
    with sessions() as s:
        plan, views = service.list_pledges(s, operator(), pledge_world.plan_id)
        assert [v.pledge.ref for v in views] == ["1", "2"]
        # Statuses as worked out in conftest: 1.1 on track, 1.2 not measured -> pledge on track;
        # 2.1 off track -> pledge off track.
        assert [(m.measure.ref, m.status) for v in views for m in v.measures] == [
            ("1.1", "on_track"),
            ("1.2", "not_measured"),
            ("2.1", "off_track"),
        ]
        assert [v.status for v in views] == ["on_track", "off_track"]
        first = views[0].measures[0].assessment
        assert (first.time_elapsed, first.expected) == (Decimal("0.5"), Decimal(70))
        accountable = [(a.name, a.body.key if a.body else None) for a in views[0].accountable]
        assert accountable == [
            ("County Health and Wellbeing Board", "county-hwb"),
            ("Urgent Care Partnership", None),
        ]
        _, one = service.get_pledge(s, operator(), plan.id, "1")
        assert [(i.table_ref, i.number, i.start_year, i.end_year) for i in one.interventions] == [
            ("Table 4", "1", 2023, 2025),
            ("Table 4", "2", 2024, None),  # From 24/25: open-ended
        ]
        _, rows = service.list_interventions(s, operator(), plan.id)
        assert [(r.table_ref, r.pledge_id is None) for r in rows][-1] == ("Table 5", True)
        kinds = dict(
            s.execute(
                select(AuditEvent.entity_kind, func.count())
                .where(
                    AuditEvent.entity_kind.in_(
                        ["pledge", "pledge_measure", "pledge_partnership", "intervention"]
                    )
                )
                .group_by(AuditEvent.entity_kind)
            ).all()
        )
        # 2 pledges, 3 measures, 3 partnerships, 3 interventions: one "create" event each.
        assert kinds == {
            "pledge": 2,
            "pledge_measure": 3,
            "pledge_partnership": 3,
            "intervention": 3,
        }


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
            with pytest.raises(Forbidden):
                service.record_latest(s, actor_for(s, username), measure_id, None, "75", "2024-25")
        # Signed out, the unpublished plan does not exist.
        with pytest.raises(NotFound):
            service.record_latest(s, ANONYMOUS, measure_id, None, "75", "2024-25")
        with pytest.raises(NotFound):
            service.list_pledges(s, ANONYMOUS, pledge_world.plan_id)
        # Anyone signed in reads them.
        assert (
            len(service.list_pledges(s, actor_for(s, "city-viewer"), pledge_world.plan_id)[1]) == 2
        )
        service.record_latest(s, actor_for(s, "icb-editor"), measure_id, None, "75", "2024-25")
        s.rollback()


def _broken(path: list[object], value: object) -> dict:
    doc = document()
    target = doc
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    return doc


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["pledges", 0, "measures", 0, "direction"], "up", "pledges[0].measures[0].direction"),
        (
            ["pledges", 1, "measures", 0, "target"],
            {"value": 1200, "period": "2025-26"},
            "pledges[1].measures[0].target_value",
        ),
        (
            ["pledges", 0, "measures", 0, "baseline"],
            {"value": "sixty", "period": "2023-24"},
            "pledges[0].measures[0].baseline.value",
        ),
        (
            ["pledges", 0, "measures", 0, "metric"],
            "no_such_metric",
            "pledges[0].measures[0].metric",
        ),
        (
            ["pledges", 0, "accountable", 0, "body"],
            "no-such-body",
            "pledges[0].accountable[0].body",
        ),
        (["pledges", 1, "accountable"], [], "pledges[1].accountable"),
        (["pledges", 1, "ref"], "1", "pledges[1].ref"),
        (
            ["interventions", 0, "items", 1, "timeline"],
            "24/26",
            "interventions[0].items[1].timeline",
        ),
        (["interventions", 1, "items", 0, "pledge"], "9", "interventions[1].items[0].pledge"),
        (["pledges", 0, "statement"], " ", "pledges[0].statement"),
    ],
)
def test_a_bad_document_is_refused_naming_file_and_field_and_writes_nothing(
    sessions, world, path, value, field
):
    with pytest.raises(InputError) as caught:
        make_pledge_plan(sessions, _broken(path, value))
    assert caught.value.field == field
    with sessions() as s:
        for model in (Pledge, PledgeMeasure, PledgePartnership, Intervention):
            assert s.scalar(select(func.count()).select_from(model)) == 0


def test_a_plan_takes_one_set_of_pledges(sessions, pledge_world):
    with sessions() as s, pytest.raises(InputError):
        service.load_document(s, operator(), pledge_world.plan_id, document(), "again.yaml")
