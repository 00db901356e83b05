"""Editing pledges and measures on SQLite and PostgreSQL: audited changes, version checks that
name what moved, bad input refused with nothing written, permissions, and the stored figure of a
linked metric (an area's latest measurement, a system's figure from its areas' counts) copied
into a measure's latest value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.governance.models import Body
from placeplan.measures import service as measures
from placeplan.plans import service as plans
from placeplan.pledges import editing, service, stored
from placeplan.pledges.models import Pledge, PledgeMeasure, PledgePartnership
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for
from tests.pledges.conftest import document

EDITOR = "county-editor"
PLEDGE_1 = {
    "title": "Faster A&E",
    "statement": "Reduce waiting times in A&E",
    "priority": "Urgent care",
}
# Measure 2.1 of tests/pledges/conftest.py as stored, as a form would send it back.
MEASURE_21 = {
    "name": "Waiting 18 weeks or more",
    "unit": "people",
    "direction": "lower",
    "baseline_value": "1000",
    "baseline_period": "2023-24",
    "target_value": "600",
    "target_period": "2025-26",
}


def _body_id(session, key: str) -> int:
    return session.scalar(select(Body.id).where(Body.key == key))


def _events(session, kind: str, entity_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_kind == kind, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        )
    )


def test_editing_a_pledge_and_its_partnerships_is_audited_and_moves_its_version(
    sessions, pledge_world
):
    with unit_of_work(sessions) as s:
        hwb = _body_id(s, "county-hwb")
        ie = _body_id(s, "county-ie")
        saved = editing.update_pledge(
            s,
            actor_for(s, EDITOR),
            pledge_world.plan_id,
            "1",
            1,
            {**PLEDGE_1, "title": "Shorter A&E waits"},
            # The body alone (its name is used), and the body with the plan's own name for it.
            [editing.PartnershipIn(None, ie), editing.PartnershipIn("The county's HWB", hwb)],
        )
        assert saved.version == 2
    with sessions() as s:
        pledge = s.scalar(select(Pledge).where(Pledge.plan_id == pledge_world.plan_id))
        rows = [(p.name, p.body_id, p.position) for p in editing.current_partnerships(s, pledge)]
        assert rows == [("Integration Executive", ie, 0), ("The county's HWB", hwb, 1)]
        update = _events(s, "pledge", pledge.id)[-1]
        assert (update.action, update.actor) == ("update", EDITOR)
        assert update.before["title"] == "Faster A&E"
        assert update.after["title"] == "Shorter A&E waits"
        assert update.after["accountable"] == (
            f"Integration Executive (governance body {ie}); The county's HWB (governance body"
            f" {hwb})"
        )
        # The two partnership rows were changed in place: one update event each.
        changed = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_kind == "pledge_partnership", AuditEvent.action == "update"
            )
        ).all()
        assert len(changed) == 2


def test_a_change_to_the_partnerships_alone_moves_the_version_and_a_stale_form_is_told(
    sessions, pledge_world
):
    with unit_of_work(sessions) as s:
        editing.update_pledge(
            s,
            actor_for(s, EDITOR),
            pledge_world.plan_id,
            "2",
            1,
            {"title": "Fewer long waits", "statement": "Reduce waits for planned treatment"},
            [editing.PartnershipIn("Planned Care Partnership"), editing.PartnershipIn("ICB")],
        )
    with unit_of_work(sessions) as s:
        pledge = editing.find_pledge(s, pledge_world.plan_id, "2")
        assert pledge.version == 2  # only the partnerships changed
        # A second editor who opened the form at version 2 removes the one just added.
        editing.update_pledge(
            s,
            actor_for(s, "icb-editor"),
            pledge_world.plan_id,
            "2",
            2,
            {"title": "Fewer long waits", "statement": "Reduce waits for planned treatment"},
            [editing.PartnershipIn("Planned Care Partnership")],
        )
    with sessions() as s:
        # The first editor, still at version 2, is refused and told the partnerships moved.
        with pytest.raises(Conflict) as caught:
            editing.update_pledge(
                s,
                actor_for(s, EDITOR),
                pledge_world.plan_id,
                "2",
                2,
                {"title": "Long waits", "statement": "Reduce waits for planned treatment"},
                [editing.PartnershipIn("Planned Care Partnership")],
            )
        assert caught.value.current_version == 3
        assert caught.value.changes == {
            "accountable": ("Planned Care Partnership; ICB", "Planned Care Partnership")
        }
        s.rollback()
        pledge = editing.find_pledge(s, pledge_world.plan_id, "2")
        assert pledge.title == "Fewer long waits"
        # The removed partnership's row is gone, its removal recorded.
        assert [p.name for p in editing.current_partnerships(s, pledge)] == [
            "Planned Care Partnership"
        ]
        removed = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_kind == "pledge_partnership", AuditEvent.action == "delete")
        )
        assert removed == 1


def test_an_unchanged_pledge_writes_nothing(sessions, pledge_world):
    with unit_of_work(sessions) as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent))
        pledge = editing.update_pledge(
            s,
            actor_for(s, EDITOR),
            pledge_world.plan_id,
            "2",
            1,
            {"title": "Fewer long waits", "statement": "Reduce waits for planned treatment"},
            [editing.PartnershipIn("Planned Care Partnership")],
        )
        assert pledge.version == 1
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == before


@pytest.mark.parametrize(
    ("values", "partners", "field"),
    [
        ({**PLEDGE_1, "title": " "}, [editing.PartnershipIn("X")], "title"),
        ({**PLEDGE_1, "statement": ""}, [editing.PartnershipIn("X")], "statement"),
        ({**PLEDGE_1, "title": "x" * 201}, [editing.PartnershipIn("X")], "title"),
        (PLEDGE_1, [editing.PartnershipIn(" ", None)], "accountable[0].body_id"),
        # Body 99999 does not exist (nor is it of the plan's area or system).
        (PLEDGE_1, [editing.PartnershipIn("X"), editing.PartnershipIn(None, 99999)], None),
    ],
)
def test_a_bad_pledge_is_refused_and_nothing_written(
    sessions, pledge_world, values, partners, field
):
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            editing.update_pledge(
                s, actor_for(s, EDITOR), pledge_world.plan_id, "1", 1, values, partners
            )
        assert caught.value.field == (field or "accountable[1].body_id")
        s.rollback()
        pledge = editing.find_pledge(s, pledge_world.plan_id, "1")
        assert (pledge.title, pledge.version) == ("Faster A&E", 1)
        assert len(editing.current_partnerships(s, pledge)) == 2


def test_adding_a_pledge_numbers_it_after_the_last(sessions, world, pledge_world):
    with unit_of_work(sessions) as s:
        pledge = editing.add_pledge(
            s,
            actor_for(s, EDITOR),
            pledge_world.plan_id,
            {"title": "Healthy homes", "statement": "Fewer people in cold, damp homes"},
            [editing.PartnershipIn(None, _body_id(s, "county-hwb"))],
        )
        # Pledges 1 and 2 exist: the new one is 3.
        assert (pledge.ref, pledge.number) == ("3", 3)
    with sessions() as s:
        _, view = service.get_pledge(s, operator(), pledge_world.plan_id, "3")
        assert [a.name for a in view.accountable] == ["County Health and Wellbeing Board"]
        assert view.status == "not_measured"
        created = _events(s, "pledge", view.pledge.id)
        assert [e.action for e in created] == ["create"]
        assert created[0].after["accountable"].startswith("County Health and Wellbeing Board")
    with sessions() as s, pytest.raises(InputError) as caught:
        # The county's BCF plan takes no pledges.
        editing.add_pledge(
            s,
            operator(),
            world.plan_id,
            {"title": "T", "statement": "S"},
            [editing.PartnershipIn("X")],
        )
    assert caught.value.field == "plan"


def test_adding_and_editing_a_measure_changes_its_status(sessions, pledge_world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, EDITOR)
        added = editing.add_measure(
            s,
            editor,
            pledge_world.plan_id,
            "2",
            {
                "name": "Waiting 52 weeks or more",
                "direction": "lower",
                "baseline_value": "120",
                "baseline_period": "2023-24",
                "metric_key": "",
                "illustrative": "yes",
            },
        )
        # Pledge 2 has measure 2.1: the new one is 2.2, at the end.
        assert (added.ref, added.illustrative, added.target_value) == ("2.2", True, None)
    with unit_of_work(sessions) as s:
        # 2.1: 1,000 -> 600 over 2023-24 to 2025-26; 2024-25 is half-way, the line stands at
        # 800 and 850 is worse: off track (conftest). With the target at 800 the line stands at
        # 900 in 2024-25 and 850 is better than that: on track.
        saved = editing.update_measure(
            s,
            actor_for(s, EDITOR),
            pledge_world.plan_id,
            "2",
            "2.1",
            1,
            {**MEASURE_21, "target_value": "800"},
        )
        assert service.assess(saved).status == "on_track"
        assert saved.version == 2
    with sessions() as s:
        event = _events(s, "pledge_measure", pledge_world.measures["2.1"])[-1]
        assert (event.before["target_value"], event.after["target_value"]) == ("600", "800")
        # A form opened at version 1 is refused, naming the target that moved.
        with pytest.raises(Conflict) as caught:
            editing.update_measure(
                s,
                actor_for(s, "icb-editor"),
                pledge_world.plan_id,
                "2",
                "2.1",
                1,
                {**MEASURE_21, "name": "Long waits"},
            )
        assert caught.value.changes == {"target_value": ("600", "800")}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_value": "1200"}, "target_value"),  # worse than the baseline when lower is better
        ({"baseline_period": ""}, "baseline_period"),  # a baseline needs its period
        ({"target_value": "", "target_period": "2025-26"}, "target_value"),
        ({"direction": ""}, "direction"),  # figures need a direction
        ({"direction": "up"}, "direction"),
        ({"metric_key": "no_such_metric"}, "metric_key"),
        ({"target_period": "soon"}, "target_period"),
        ({"baseline_value": "lots"}, "baseline_value"),
        ({"name": " "}, "name"),
        # The latest value is for 2024-25: a baseline after it cannot be.
        ({"baseline_period": "2025-26", "target_period": "2026-27"}, "baseline_period"),
    ],
)
def test_a_bad_measure_is_refused_and_nothing_written(sessions, pledge_world, change, field):
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            editing.update_measure(
                s,
                actor_for(s, EDITOR),
                pledge_world.plan_id,
                "2",
                "2.1",
                1,
                {**MEASURE_21, **change},
            )
        assert caught.value.field == field
        s.rollback()
        measure = s.get(PledgeMeasure, pledge_world.measures["2.1"])
        assert (measure.target_value, measure.version) == (Decimal(600), 1)


def test_removing_a_measure_is_audited_but_not_a_pledges_only_one(sessions, pledge_world):
    measure_id = pledge_world.measures["1.2"]
    with unit_of_work(sessions) as s:
        editing.remove_measure(s, actor_for(s, EDITOR), pledge_world.plan_id, "1", "1.2", 1)
    with sessions() as s:
        assert s.get(PledgeMeasure, measure_id) is None
        removal = _events(s, "pledge_measure", measure_id)[-1]
        assert (removal.action, removal.before["ref"], removal.after) == ("delete", "1.2", None)
        # Pledge 1 has only 1.1 left, pledge 2 only 2.1: neither can go.
        for pledge, ref in (("1", "1.1"), ("2", "2.1")):
            with pytest.raises(InputError) as caught:
                editing.remove_measure(s, operator(), pledge_world.plan_id, pledge, ref, None)
            assert caught.value.field == "measure"
        s.rollback()
    with sessions() as s, pytest.raises(Conflict):
        editing.remove_measure(s, operator(), pledge_world.plan_id, "2", "2.1", 7)


def test_only_editors_of_the_plans_area_change_pledges(sessions, pledge_world):
    plan = pledge_world.plan_id
    with sessions() as s:
        for username in ("county-viewer", "county-approver", "city-editor", "icb-approver"):
            actor = actor_for(s, username)
            with pytest.raises(Forbidden):
                editing.update_pledge(
                    s, actor, plan, "1", 1, PLEDGE_1, [editing.PartnershipIn("X")]
                )
            with pytest.raises(Forbidden):
                editing.add_pledge(s, actor, plan, PLEDGE_1, [editing.PartnershipIn("X")])
            with pytest.raises(Forbidden):
                editing.add_measure(s, actor, plan, "1", {"name": "M"})
            with pytest.raises(Forbidden):
                editing.update_measure(s, actor, plan, "2", "2.1", 1, MEASURE_21)
            with pytest.raises(Forbidden):
                editing.remove_measure(s, actor, plan, "1", "1.2", 1)
            with pytest.raises(Forbidden):
                stored.use_stored_figure(s, actor, pledge_world.measures["1.1"], 1)
        # Signed out, the unpublished plan does not exist.
        with pytest.raises(NotFound):
            editing.add_measure(s, ANONYMOUS, plan, "1", {"name": "M"})
        # The ICB works in the county: its editors may.
        editing.add_measure(s, actor_for(s, "icb-editor"), plan, "1", {"name": "M"})
        s.rollback()


# ---- stored figures ---------------------------------------------------------------------------


def _share_metric(sessions, key: str = "seen_in_4_hours") -> None:
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            operator(),
            {
                "key": key,
                "name": "Seen within four hours",
                "unit": "percentage",
                "direction": "higher",
                "frequency": "month",
            },
        )


def _counts(sessions, key: str, rows: list[tuple[str, str, int, int]], **kw) -> None:
    with unit_of_work(sessions) as s:
        measures.import_rows(
            s,
            operator(),
            key,
            [
                (n, {"area_code": a, "period": p, "numerator": str(x), "denominator": str(y)})
                for n, (a, p, x, y) in enumerate(rows, start=2)
            ],
            **kw,
        )


def _link(sessions, measure_id: int, key: str) -> None:
    with unit_of_work(sessions) as s:
        measure = s.get(PledgeMeasure, measure_id)
        values = {
            "name": measure.name,
            "unit": measure.unit,
            "direction": measure.direction,
            "baseline_value": str(measure.baseline_value),
            "baseline_period": measure.baseline_period,
            "target_value": str(measure.target_value),
            "target_period": measure.target_period,
            "metric_key": key,
        }
        editing.update_measure(
            s, operator(), measure.plan_id, measure.ref.split(".")[0], measure.ref, None, values
        )


def test_an_area_plan_shows_and_uses_its_areas_latest_measurement(sessions, pledge_world):
    _share_metric(sessions)
    # Leicestershire: 6,600 of 10,000 in April 2025, 7,900 of 10,000 in May; Leicester's later
    # June figure is another area's and does not count for the county's plan.
    _counts(
        sessions,
        "seen_in_4_hours",
        [
            (LEICESTERSHIRE, "2025-04", 6600, 10000),
            (LEICESTERSHIRE, "2025-05", 7900, 10000),
            (LEICESTER, "2025-06", 50, 100),
        ],
    )
    measure_id = pledge_world.measures["1.1"]
    _link(sessions, measure_id, "seen_in_4_hours")
    with sessions() as s:
        plan, view = service.get_pledge(s, operator(), pledge_world.plan_id, "1")
        stored.attach(s, plan, [view])
        found = view.measures[0].stored
        assert (found.kind, found.value, found.figure.period) == ("area", Decimal(79), "2025-05")
        assert found.links == [("Leicestershire", "/areas/E10000018/metrics/seen_in_4_hours")]
        # 1.2 links no metric: nothing stored to show.
        assert view.measures[1].stored is None
        version = s.get(PledgeMeasure, measure_id).version
    with unit_of_work(sessions) as s:
        saved = stored.use_stored_figure(s, actor_for(s, EDITOR), measure_id, version)
        # 60 -> 80 over 2023-24 to 2025-26; 79 in May 2025 is short of 80, and the line then
        # stands at 60 + 20 x 426/730 = 71.67 (31 Mar 2024 to 31 May 2025 is 426 days): on track.
        assert (saved.latest_value, saved.latest_period) == (Decimal(79), "2025-05")
        assert service.assess(saved).status == "on_track"
        assert saved.latest_source.startswith("Copied from the stored measurements")
    with sessions() as s:
        event = _events(s, "pledge_measure", measure_id)[-1]
        assert (event.actor, event.before["latest_value"], event.after["latest_value"]) == (
            EDITOR,
            "72",
            "79",
        )
        # The form it was used from is now stale.
        with pytest.raises(Conflict) as caught:
            stored.use_stored_figure(s, actor_for(s, EDITOR), measure_id, version)
        assert set(caught.value.changes) == {"latest_value", "latest_period", "latest_source"}
        s.rollback()
        # Typing a value afterwards clears where the last one came from.
        measure = service.record_latest(s, actor_for(s, EDITOR), measure_id, None, "75", "2025-06")
        assert measure.latest_source is None
        s.rollback()


def _system_plan(sessions) -> int:
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s, operator(), "five_year_plan", "LLR plan", "2023-24 to 2027-28", system_code="LLR"
        )
        return plan.id


def test_a_system_plan_uses_the_summed_counts_of_every_area(sessions, world):
    plan_id = _system_plan(sessions)
    with unit_of_work(sessions) as s:
        service.load_document(s, operator(), plan_id, document())
    _share_metric(sessions)
    # The test world's system has two areas, Leicester and Leicestershire. April 2025 has both;
    # May only the county, so the system figure is April's:
    # (6,000 + 15,000) / (10,000 + 20,000) = 21,000 / 30,000 = 70% (the shares, 60% and 75%,
    # would average 67.5%).
    _counts(
        sessions,
        "seen_in_4_hours",
        [
            (LEICESTER, "2025-04", 6000, 10000),
            (LEICESTERSHIRE, "2025-04", 15000, 20000),
            (LEICESTERSHIRE, "2025-05", 16000, 20000),
        ],
        illustrative=True,
    )
    with sessions() as s:
        measure_id = s.scalar(
            select(PledgeMeasure.id).where(
                PledgeMeasure.plan_id == plan_id, PledgeMeasure.ref == "1.1"
            )
        )
    _link(sessions, measure_id, "seen_in_4_hours")
    with sessions() as s:
        plan, views = service.list_pledges(s, operator(), plan_id)
        stored.attach(s, plan, views)
        found = views[0].measures[0].stored
        assert (found.kind, found.value, found.figure.period) == ("system", Decimal(70), "2025-04")
        assert found.figure.illustrative
        assert [name for name, _ in found.links] == ["Leicester", "Leicestershire"]
        assert service.measure_json(views[0].measures[0])["stored"]["value"] == "70.00"
    with unit_of_work(sessions) as s:
        # The county's ICB editors edit system plans of their system.
        saved = stored.use_stored_figure(s, actor_for(s, "icb-editor"), measure_id, None)
        # 60 -> 80 over 2023-24 to 2025-26; April 2025 is 395 of 730 days along, the line at
        # 60 + 20 x 395/730 = 70.82; 70 is short of it: off track.
        assert (saved.latest_value, saved.latest_period, saved.latest_illustrative) == (
            Decimal(70),
            "2025-04",
            True,
        )
        assert service.assess(saved).status == "off_track"
    # A metric only the county has counts for: no period has both areas, so no figure to use.
    with sessions() as s:
        other = s.scalar(
            select(PledgeMeasure.id).where(
                PledgeMeasure.plan_id == plan_id, PledgeMeasure.ref == "2.1"
            )
        )
    _share_metric(sessions, "other_share")
    _link(sessions, other, "other_share")
    _counts(sessions, "other_share", [(LEICESTERSHIRE, "2025-04", 1, 2)])
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            stored.use_stored_figure(s, operator(), other, None)
        assert caught.value.message == ("No system figure: not every area has counts for a period")
        assert caught.value.field == "stored"


def test_a_figure_on_small_numbers_is_withheld_from_signed_out_readers(sessions, pledge_world):
    _share_metric(sessions)
    # 7 of 9: both counts under 10.
    _counts(sessions, "seen_in_4_hours", [(LEICESTERSHIRE, "2025-04", 7, 9)])
    _link(sessions, pledge_world.measures["1.1"], "seen_in_4_hours")
    with sessions() as s:
        plan, views = service.list_pledges(s, operator(), pledge_world.plan_id)
        stored.attach(s, plan, views)
        found = views[0].measures[0].stored
        assert found.withheld
        assert found.as_json(signed_in=False)["value"] is None
        assert found.as_json(signed_in=False)["withheld"] is True
        assert found.as_json(signed_in=True)["value"] == "77.78"  # 7 / 9 = 77.777...%


def test_partnerships_survive_a_failed_edit(sessions, pledge_world):
    with sessions() as s:
        count = s.scalar(select(func.count()).select_from(PledgePartnership))
        with pytest.raises(InputError):
            editing.update_pledge(
                s, actor_for(s, EDITOR), pledge_world.plan_id, "1", 1, PLEDGE_1, []
            )
        s.rollback()
        assert s.scalar(select(func.count()).select_from(PledgePartnership)) == count
