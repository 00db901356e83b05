"""The delivery service on SQLite and PostgreSQL: structure, updates, derived changes, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.delivery import service
from placeplan.delivery.service import UpdateIn
from placeplan.demo import delivery as demo_delivery
from placeplan.plans.models import Plan
from placeplan.store import audit
from placeplan.store.uow import unit_of_work
from tests.delivery.conftest import SECRETS, make_delivery_plan
from tests.factories import actor_for


def test_tracker_derives_changes_and_overdue(sessions, world, delivery):
    with sessions() as s:
        t = service.tracker(s, actor_for(s, "county-viewer"), delivery.plan_id)
    assert t.period is not None and t.period.label == "2025-26 Q2"
    assert t.periods == ["2025-26 Q1", "2025-26 Q2"]
    rows = {r.ref: r for r in t.actions}
    assert [r.ref for r in t.actions] == ["HP2.1", "HP2.2", "HP3.1"]
    assert (rows["HP2.1"].current.overall, rows["HP2.1"].change) == ("red", "worsened")
    assert rows["HP2.2"].change == "improved"
    assert rows["HP3.1"].current.period == "2025-26 Q1"  # not rated in Q2: its latest is shown
    assert [m["ref"] for m in rows["HP2.1"].overdue] == ["1"]  # 2 was done on time
    assert t.rag_definitions["overall"]["red"] == "Off track: needs the board's help"
    assert t.rag_definitions["overall"]["green"]  # the defaults fill the rest


def test_highlight_report(sessions, world, delivery):
    with sessions() as s:
        op = operator()
        report = service.highlight(s, op, delivery.plan_id)
        q1 = service.highlight(s, op, delivery.plan_id, period="2025-26 Q1")
        by_body = service.highlight(s, op, delivery.plan_id, body="county-ie")
    assert report["period"] == "2025-26 Q2"
    assert [r["ref"] for r in report["reds"]] == ["HP2.1"]
    assert [r["ref"] for r in report["ambers"]] == ["HP2.2", "HP3.1"]
    assert {r["ref"]: r["change"] for r in report["changes"]} == {
        "HP2.1": "worsened",
        "HP2.2": "improved",
    }
    assert report["reds"][0]["previous_rag"] == "green"
    assert [(o["action_ref"], o["ref"]) for o in report["overdue"]] == [("HP2.1", "1")]
    assert report["decisions"] == [
        {"action_id": delivery.action_ids["HP2.1"], "ref": "HP2.1", "decision": SECRETS["decision"]}
    ]
    assert [r["ref"] for r in report["not_updated"]] == ["HP3.1"]
    assert q1["counts"] == {"red": 1, "amber": 1, "green": 1, "not_rated": 0}
    assert [o["ref"] for o in q1["overdue"]] == ["1"]  # due 31 May, not done by 30 June
    assert [r["ref"] for r in by_body["ambers"] + by_body["reds"]] == ["HP2.2"]


def test_signed_out_sees_no_tracker_and_unpublished_is_404(sessions, world, delivery):
    with sessions() as s:
        with pytest.raises(NotFound):
            service.tracker(s, ANONYMOUS, delivery.plan_id)
        with pytest.raises(NotFound):
            service.public_view(s, delivery.plan_id)


def test_record_updates_is_audited_and_all_or_nothing(sessions, world, delivery):
    ids = delivery.action_ids
    with unit_of_work(sessions) as s:
        lead = actor_for(s, "county-viewer")  # leads HP2.1 though only a viewer
        saved = service.record_updates(
            s,
            lead,
            delivery.plan_id,
            "2025-26 Q3",
            [UpdateIn(ids["HP2.1"], 0, "amber", "amber", None, "better", "public words")],
        )
        assert saved[0].period_end == date(2025, 12, 31)
    with sessions() as s:
        events = audit.history(s, "delivery_update", saved[0].id)
        assert [e.action for e in events] == ["create"] and events[0].actor == "county-viewer"
        with pytest.raises(Forbidden):  # the lead of HP2.1 only
            service.record_updates(
                s,
                actor_for(s, "county-viewer"),
                delivery.plan_id,
                "2025-26 Q3",
                [UpdateIn(ids["HP2.2"], 0, "green")],
            )
        with pytest.raises(InputError) as bad:
            service.record_updates(
                s,
                actor_for(s, "county-editor"),
                delivery.plan_id,
                "2025-26 Q3",
                [UpdateIn(ids["HP2.2"], 0, "green"), UpdateIn(ids["HP3.1"], 0, "purple")],
            )
        assert bad.value.field == f"overall-{ids['HP3.1']}"
        s.rollback()
        assert (
            service.highlight(s, operator(), delivery.plan_id, "2025-26 Q3")["counts"]["green"] == 0
        )
        with pytest.raises((Forbidden, NotFound)):  # the city cannot see the county's draft
            service.record_updates(
                s,
                actor_for(s, "city-editor"),
                delivery.plan_id,
                "2025-26 Q3",
                [UpdateIn(ids["HP2.2"], 0, "green")],
            )


def test_stale_updates_and_action_edits_are_conflicts(sessions, world, delivery):
    ids = delivery.action_ids
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        service.record_updates(
            s, editor, delivery.plan_id, "2025-26 Q3", [UpdateIn(ids["HP2.2"], 0, "green")]
        )
        service.update_action(s, editor, ids["HP2.2"], 1, {"stage": "evaluation"})
    with sessions() as s:
        editor = actor_for(s, "county-editor")
        with pytest.raises(Conflict):  # someone reported first
            service.record_updates(
                s, editor, delivery.plan_id, "2025-26 Q3", [UpdateIn(ids["HP2.2"], 0, "red")]
            )
        with pytest.raises(Conflict) as stale:
            service.update_action(s, editor, ids["HP2.2"], 1, {"stage": "complete"})
        assert stale.value.changes["stage"] == ("feasibility", "evaluation")
        with pytest.raises(InputError):
            service.update_action(s, editor, ids["HP2.2"], 2, {"stage": "paused"})


def test_public_view_has_no_internal_fields(sessions, world):
    delivery = make_delivery_plan(sessions, publish=True)
    with sessions() as s:
        view = service.public_view(s, delivery.plan_id)
    text = repr(view)
    for secret in SECRETS.values():
        assert secret not in text
    for word in ("red", "amber", "green", "rag"):
        assert f"'{word}" not in text.lower()
    action = view["themes"][0]["priorities"][0]["actions"][0]
    assert action["i_will"].startswith("I will") and action["stage"] == "Delivery"
    assert action["progress"] == "Teams are being set up across the city"
    assert action["milestones_done"] == 1


def test_load_document_refuses_a_second_load_and_bad_rows(sessions, world, delivery):
    from tests.delivery.conftest import document

    with sessions() as s, pytest.raises(InputError):
        service.load_document(s, operator(), delivery.plan_id, document())
    with unit_of_work(sessions) as s:
        from placeplan.plans import service as plans

        plan = plans.create_plan(
            s, operator(), "strategy_delivery_plan", "Other", "2025-26", area_code="E06000016"
        )
        bad = document()
        bad["updates"][0]["actions"]["HP9.9"] = {"overall": "red"}
        with pytest.raises(InputError) as caught:
            service.load_document(s, operator(), plan.id, bad)
        assert "HP9.9" in str(caught.value)
        s.rollback()
        from placeplan.delivery.models import DeliveryTheme

        assert s.scalar(select(DeliveryTheme.id).where(DeliveryTheme.plan_id == plan.id)) is None


def test_demo_delivery_plan_loads(sessions, world):
    from placeplan.plans import service as plans

    with unit_of_work(sessions) as s:
        plans.create_plan(
            s,
            operator(),
            "strategy_delivery_plan",
            "Leicester SDP",
            "2023-24 to 2024-25",
            area_code="E06000016",
            key=demo_delivery.DEMO_PLAN_KEY,
        )
        from placeplan.governance import service as governance

        governance.create_body(
            s,
            operator(),
            "leicester-hwb",
            "Leicester HWB",
            "HWB",
            area_code="E06000016",
            member_keys=["city"],
            may_approve=["strategy_delivery_plan"],
        )
        counts = demo_delivery.load_demo_delivery(s, operator())
    assert counts == {"themes": 5, "priorities": 20, "actions": 4, "milestones": 17, "updates": 12}
    with sessions() as s:
        plan_id = s.scalar(select(Plan.id).where(Plan.key == demo_delivery.DEMO_PLAN_KEY))
        report = service.highlight(s, operator(), plan_id)
    assert report["period"] == "2024-25 Q1" and report["counts"]["green"] == 1
    assert {r["ref"]: r["change"] for r in report["changes"]}["HP2.4"] == "improved"
