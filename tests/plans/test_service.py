"""Service behaviour on both SQLite and PostgreSQL (the `engine` fixture runs each test twice)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.plans import service as plans
from placeplan.plans.models import Plan, PlanSnapshot
from placeplan.store.audit import AuditEvent, history
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, build_world, submit


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_every_write_is_audited_in_the_same_transaction(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        version = s.get(Plan, world.plan_id).version
        plans.update_plan(s, editor, world.plan_id, version, title="Renamed")
    with sessions() as s:
        events = history(s, "plan", world.plan_id)
        assert events[0].action == "update"
        assert events[0].actor == "county-editor"
        assert events[0].before["title"] == "County BCF 2025-26"
        assert events[0].after["title"] == "Renamed"


def test_one_user_action_shares_one_action_id(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with unit_of_work(sessions) as s:
        approver = actor_for(s, "county-approver")
        plans.record_decision(s, approver, world.hwb_step_id, "approved", date(2025, 3, 27))
    with sessions() as s:
        last = history(s, "sign_off_step", world.hwb_step_id)[0]
        assert last.action == "sign_off"
        same_action = s.scalars(
            select(AuditEvent).where(AuditEvent.action_id == last.action_id)
        ).all()
        assert len(same_action) == 1


def test_a_stale_save_is_refused_with_what_changed(sessions):
    world = build_world(sessions)
    with sessions() as s:
        started_from = s.get(Plan, world.plan_id).version
    with unit_of_work(sessions) as s:
        plans.update_plan(
            s, actor_for(s, "county-editor"), world.plan_id, started_from, title="First"
        )
    with sessions() as s, pytest.raises(Conflict) as caught:
        plans.update_plan(
            s, actor_for(s, "county-admin"), world.plan_id, started_from, title="Second"
        )
    assert caught.value.changes == {"title": ("County BCF 2025-26", "First")}
    assert caught.value.current_version == started_from + 1
    with sessions() as s:
        assert s.get(Plan, world.plan_id).title == "First"


def test_a_lost_race_at_commit_is_a_conflict_not_an_overwrite(sessions):
    world = build_world(sessions)
    first, second = sessions(), sessions()
    a = first.get(Plan, world.plan_id)
    b = second.get(Plan, world.plan_id)
    a.title, b.title = "A", "B"
    first.commit()
    from sqlalchemy.orm.exc import StaleDataError

    with pytest.raises(StaleDataError):
        second.commit()
    first.close(), second.close()


def test_bad_period_writes_nothing(sessions):
    world = build_world(sessions)
    with sessions() as s:
        before = count(s, AuditEvent)
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        plans.update_plan(
            s, actor_for(s, "county-editor"), world.plan_id, None, title="X", period="2025-27"
        )
    assert caught.value.field == "period"
    with sessions() as s:
        assert count(s, AuditEvent) == before
        assert s.get(Plan, world.plan_id).title == "County BCF 2025-26"


def test_nobody_edits_a_plan_of_an_area_they_have_no_part_in(sessions):
    world = build_world(sessions)
    with sessions() as s:
        with pytest.raises(NotFound):  # the city has no part in the county's draft
            plans.update_plan(s, actor_for(s, "city-editor"), world.plan_id, None, title="Mine now")
        with pytest.raises(Forbidden):
            plans.update_plan(
                s, actor_for(s, "county-viewer"), world.plan_id, None, title="Mine now"
            )


def test_only_an_approver_of_the_right_body_records_a_sign_off(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with sessions() as s:
        for username in ("city-approver", "county-editor", "county-admin"):
            with pytest.raises((Forbidden, NotFound)):  # the city's approver cannot see the draft
                plans.record_decision(
                    s, actor_for(s, username), world.hwb_step_id, "approved", date(2025, 3, 27)
                )
        # The chief executive's step belongs to the county council alone: the ICB approver sits on
        # the HWB but cannot sign for the council.
        with pytest.raises(Forbidden):
            plans.record_decision(
                s, actor_for(s, "icb-approver"), world.ce_step_id, "approved", date(2025, 3, 20)
            )
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s, actor_for(s, "icb-approver"), world.hwb_step_id, "approved", date(2025, 3, 27)
        )


def test_a_body_that_may_not_approve_cannot_join_the_chain(sessions):
    world = build_world(sessions)
    with sessions() as s, pytest.raises(InputError) as caught:
        plans.add_step(s, actor_for(s, "county-editor"), world.plan_id, body_key="county-ie")
    assert caught.value.field == "body"


def test_submission_snapshots_and_decisions_approve(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        plan = submit(s, actor_for(s, "county-editor"), world.plan_id)
        assert plan.status == "submitted"
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", date(2025, 3, 27)
        )
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.ce_step_id, "approved", date(2025, 3, 27)
        )
    with sessions() as s:
        plan = s.get(Plan, world.plan_id)
        assert plan.status == "approved"
        snapshot = s.scalars(
            select(PlanSnapshot).where(PlanSnapshot.plan_id == world.plan_id)
        ).one()
        assert snapshot.number == 1
        assert snapshot.content["plan"]["title"] == "County BCF 2025-26"
        assert [step["decision"] for step in snapshot.content["sign_off"]] == [None, None]


def test_signed_out_visitors_see_only_published_plans(sessions):
    world = build_world(sessions)
    from placeplan.core.actor import ANONYMOUS

    with sessions() as s:
        visible = {p.id for p in plans.list_plans(s, ANONYMOUS)}
        assert visible == {world.published_plan_id}
        # a draft is read by a role in the organisations with a part in its area
        assert world.plan_id in {p.id for p in plans.list_plans(s, actor_for(s, "county-viewer"))}
        assert world.plan_id not in {p.id for p in plans.list_plans(s, actor_for(s, "city-viewer"))}
