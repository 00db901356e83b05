"""The stored figure of a linked metric on SQLite and PostgreSQL (an area's latest measurement, a
system's figure from its areas' counts), shown with a measure and copied into its latest value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, InputError
from placeplan.governance.models import Body
from placeplan.measures import service as measures
from placeplan.plans import service as plans
from placeplan.pledges import service
from placeplan.pledges.models import PledgeMeasure
from placeplan.pledges.present.answers import measure_json
from placeplan.pledges.service import editing, stored
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
        assert measure_json(views[0].measures[0])["stored"]["value"] == "70.00"
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
        assert caught.value.message == (
            "No figure for the system as a whole: not every area has counts for a period"
        )
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
