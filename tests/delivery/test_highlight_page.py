"""The highlight page reuses its rendered report until the tracker changes, and never longer."""

from __future__ import annotations

import pytest

from placeplan.core.actor import operator
from placeplan.delivery import service
from placeplan.delivery.service import UpdateIn
from placeplan.store.uow import unit_of_work

pytestmark = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


def test_a_new_update_shows_at_once(browser, sessions, delivery):
    b = browser("county-viewer")
    url = f"/plans/{delivery.plan_id}/delivery/highlight?period=2025-26+Q2"
    before = b.get(url).text
    # tests/delivery/conftest.py: in 2025-26 Q2 HP2.1 is red and HP2.2 amber; HP3.1 was not
    # updated, so its amber of 2025-26 Q1 stands.
    assert "Red actions (1)" in before and "Amber actions (2)" in before
    assert b.get(url).text == before  # the same report again (now from the reuse)
    with unit_of_work(sessions) as s:
        service.record_updates(
            s,
            operator(),
            delivery.plan_id,
            "2025-26 Q2",
            [UpdateIn(delivery.action_ids["HP3.1"], 0, "red", internal_commentary="Newly red")],
        )
    after = b.get(url).text
    assert "Red actions (2)" in after and "Amber actions (1)" in after and "Newly red" in after


def test_the_page_is_the_same_for_every_reader_but_the_header(browser, delivery):
    url = f"/plans/{delivery.plan_id}/delivery/highlight"
    first = browser("county-viewer").get(url).text
    second = browser("icb-editor").get(url).text  # another organisation with a part in it
    start = first.index("<h1>")
    assert first[start:] == second[second.index("<h1>") :]
    assert "County delivery plan" in first  # the plan's title, outside the reused part


def test_the_api_answer_is_reused_until_the_tracker_changes_and_still_checks_who_asks(
    browser, sessions, delivery
):
    url = f"/api/v1/plans/{delivery.plan_id}/delivery/highlight?period=2025-26+Q2"
    reader = browser("county-viewer")
    first = reader.get(url)
    assert first.headers["content-type"] == "application/json"
    # As in the page test above: HP2.1 red; HP2.2 and HP3.1 amber in 2025-26 Q2.
    assert [a["ref"] for a in first.json()["reds"]] == ["HP2.1"]
    assert reader.get(url).content == first.content
    assert browser(None).get(url).status_code in (401, 403, 404)  # not from the reuse
    with unit_of_work(sessions) as s:
        service.record_updates(
            s,
            operator(),
            delivery.plan_id,
            "2025-26 Q2",
            [UpdateIn(delivery.action_ids["HP3.1"], 0, "red", internal_commentary="Newly red")],
        )
    assert sorted(a["ref"] for a in reader.get(url).json()["reds"]) == ["HP2.1", "HP3.1"]
