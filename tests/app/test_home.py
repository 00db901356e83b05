"""The home page: signed out, the public overview; signed in, first what waits for the person:
sign-offs they may decide now, actions they lead without this period's update, their areas'
plans in draft and metrics whose latest point is special-cause variation."""

from __future__ import annotations

import re
from datetime import date

import pytest

from placeplan.core.actor import operator
from placeplan.delivery.models import DeliveryAction
from placeplan.delivery.service.waiting import actions_to_update
from placeplan.measures import service as measures
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.delivery.conftest import make_delivery_plan
from tests.factories import actor_for, submit

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _waiting(page: str) -> str:
    """The text of the 'What waits for you' part, tags dropped."""
    part = page.split("<h1>What waits for you</h1>")[1].split('<h2 class="nhsuk-heading-l">')[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_signed_out_the_public_home_stays(browser, world):
    page = browser().get("/").text
    assert "What waits for you" not in page and "<h1>LLR" not in page
    assert "Leicester, Leicestershire and Rutland</h1>" in page


def test_an_approver_is_shown_the_step_they_may_decide_now_and_no_later_one(
    browser, world, sessions
):
    with unit_of_work(sessions) as s:
        submit(s, operator(), world.plan_id)
    # build_world's chain: the County Health and Wellbeing Board (county and ICB sit on it),
    # then the county's chief executive, whom the county's approvers sign for: the board first.
    county = _waiting(browser("county-approver").get("/").text)
    assert (
        "County BCF 2025-26 : the decision of County Health and Wellbeing Board, planned for"
        " 27 March 2025" in county
    )
    assert "chief executive" not in county.lower()
    city = _waiting(browser("city-approver").get("/").text)
    assert "No plan waits for a decision you may record." in city
    with unit_of_work(sessions) as s:
        plans.record_decision(s, operator(), world.hwb_step_id, "approved", date(2025, 3, 27))
    county = _waiting(browser("county-approver").get("/").text)
    assert "the decision of Chief executive, County Council" in county


def test_an_editor_is_shown_their_areas_plans_in_draft(browser, world):
    county = _waiting(browser("county-editor").get("/").text)
    assert "County BCF 2025-26" in county and "City BCF 2025-26" not in county
    assert "County BCF 2024-25" not in county  # published, not a draft
    icb = _waiting(browser("icb-editor").get("/").text)  # the ICB has a part in both areas
    assert "County BCF 2025-26" in icb and "City BCF 2025-26" in icb


def test_a_lead_is_shown_the_actions_without_this_periods_update(browser, world, sessions):
    delivery = make_delivery_plan(sessions)  # runs 2025-26 to 2026-27; updates for Q1 and Q2
    with unit_of_work(sessions) as s:
        s.get(DeliveryAction, delivery.action_ids["HP3.1"]).lead_organisations = ["County Council"]
    with unit_of_work(sessions) as s:
        # HP2.1 is led by county-viewer; HP3.1 by the county council; HP2.2 by neither.
        due = actions_to_update(s, actor_for(s, "county-viewer"), date(2025, 8, 1))  # in Q2
        assert due[0].period == "2025-26 Q2"
        assert [a.ref for a in due[0].actions] == ["HP3.1"]  # HP2.1 has its Q2 update
        due = actions_to_update(s, actor_for(s, "county-editor"), date(2025, 11, 1))  # in Q3
        assert [a.ref for a in due[0].actions] == ["HP3.1"]  # by organisation only
        assert actions_to_update(s, actor_for(s, "city-editor"), date(2025, 11, 1)) == []
    page = browser("county-viewer").get("/").text
    assert f'href="/plans/{delivery.plan_id}/delivery/update?period=' in page


def test_a_metric_whose_latest_point_is_special_cause_is_shown_in_its_areas(
    browser, world, sessions
):
    # Eleven months about 100 (moving ranges of 1 to 6), then 200: far above any limit of the
    # series (mean about 108, limits about 108 +/- 2.66 x 12), and higher is worse: concern.
    values = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 200]
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            operator(),
            {
                "key": "admissions",
                "name": "Admissions 65+",
                "unit": "rate_per_100k",
                "direction": "lower",
                "frequency": "month",
            },
        )
        measures.import_rows(
            s,
            operator(),
            "admissions",
            [
                (i + 2, {"area_code": "E10000018", "period": f"2025-{i + 1:02d}", "value": str(v)})
                for i, v in enumerate(values)
            ],
        )
    county = _waiting(browser("county-viewer").get("/").text)
    assert "Admissions 65+, Leicestershire : Special cause: concern in 2025-12" in county
    city = _waiting(browser("city-viewer").get("/").text)
    assert "Admissions 65+" not in city
