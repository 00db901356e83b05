"""Loading pledges from a document on SQLite and PostgreSQL: statuses, links and audit, and bad
input refused naming file and field with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.pledges import service
from placeplan.pledges.models import Intervention, Pledge, PledgeMeasure, PledgePartnership
from placeplan.store.audit import AuditEvent
from tests.pledges.conftest import document, make_pledge_plan


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
