"""The audit log's rows: each knows the plan it is about, written one at a time or many at once."""

from __future__ import annotations

from sqlalchemy import select

from placeplan.core.actor import operator
from placeplan.store import audit
from placeplan.store.audit import AuditEvent, plan_of
from placeplan.store.uow import unit_of_work


def test_the_plan_an_event_is_about():
    assert plan_of("plan", 5, None, {"title": "A plan"}) == 5
    assert plan_of("bcf_line", 9, {"plan_id": 5}, {"plan_id": 5}) == 5
    assert plan_of("bcf_line", 9, {"plan_id": 5}, None) == 5  # removed: its last state says
    assert plan_of("kloe_review", 2, None, {"scheme_id": 7}) is None  # found through its scheme
    assert plan_of("organisation", 1, None, {"name": "ICB"}) is None


def test_one_and_many_events_record_their_plan(sessions):
    with unit_of_work(sessions) as s:
        actor = operator("test")
        audit.record(s, actor, "create", "plan", 3, None, {"title": "A plan"})
        audit.record_many(
            s,
            actor,
            [
                ("create", "bcf_line", 1, None, {"plan_id": 3}),
                ("delete", "bcf_line", 2, {"plan_id": 4}, None),
                ("create", "area", 1, None, {"name": "Rutland"}),
            ],
        )
    with sessions() as s:
        found = s.execute(
            select(AuditEvent.entity_kind, AuditEvent.plan_id).order_by(AuditEvent.id)
        )
        assert list(found) == [("plan", 3), ("bcf_line", 3), ("bcf_line", 4), ("area", None)]
