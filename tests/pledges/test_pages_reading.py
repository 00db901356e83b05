"""A permission test for every pledges route: signed out, another organisation, and each role.
Whoever may read a plan may read its pledges; editors of the plan's area record values."""

from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.plans import service as plans
from placeplan.pledges.models import PledgeMeasure
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, submit
from tests.pledges.conftest import PledgeWorld, make_pledge_plan

USERS = [
    "county-viewer",
    "county-editor",
    "county-approver",
    "county-admin",
    "city-editor",
    "city-approver",
    "icb-editor",
    "icb-approver",
]
# The plan covers Leicestershire: the county's editors and admins, and the ICB's editors (the ICB
# works in both places), may record values.
RECORDERS = {"county-editor", "county-admin", "icb-editor"}
READS = [
    "/plans/{plan}/pledges",
    "/plans/{plan}/pledges?format=csv",
    "/plans/{plan}/pledges/1",
    "/plans/{plan}/pledges/1?format=csv",
    "/plans/{plan}/interventions",
    "/plans/{plan}/interventions?format=csv",
    "/api/v1/plans/{plan}/pledges",
    "/api/v1/plans/{plan}/pledges/1",
    "/api/v1/plans/{plan}/interventions",
]


@pytest.fixture
def pledges(sessions, world) -> PledgeWorld:
    return make_pledge_plan(sessions)


def _refused(user: str | None) -> int:
    """403 for a role without the right; 404 where the draft is not there to them at all (the
    city has no part in the county's plan)."""
    return 404 if user is None or user.startswith("city-") else 403


def _publish(sessions, plan_id: int) -> None:
    op = operator("test-factory")
    with unit_of_work(sessions) as s:
        step = plans.add_step(
            s, op, plan_id, signatory_role="chief_executive", organisation_key="county"
        )
        submit(s, op, plan_id)
        plans.record_decision(s, op, step.id, "approved", date(2025, 1, 10))
        plans.change_status(s, op, plan_id, "published", None)


def test_reads_need_a_sign_in_until_the_plan_is_published(browser, sessions, pledges):
    anonymous = browser(None)
    for path in READS:
        assert anonymous.get(path.format(plan=pledges.plan_id)).status_code == 404, path
    for user in ("county-viewer", "icb-approver"):  # roles in organisations with a part in it
        b = browser(user)
        for path in READS:
            assert b.get(path.format(plan=pledges.plan_id)).status_code == 200, (user, path)
    _publish(sessions, pledges.plan_id)
    for path in READS:
        assert anonymous.get(path.format(plan=pledges.plan_id)).status_code == 200, path
    # A pledge or plan that does not exist is a 404 for everyone.
    assert browser("county-editor").get(f"/plans/{pledges.plan_id}/pledges/99").status_code == 404
    assert anonymous.get("/api/v1/plans/999/pledges").status_code == 404


def test_the_record_form_shows_only_to_those_who_may_record(browser, pledges):
    path = f"/plans/{pledges.plan_id}/pledges/1"
    for user in USERS:
        page = browser(user).get(path).text
        assert ('action="' + path + '/measures/1.1"' in page) == (user in RECORDERS), user


def test_recording_a_value_from_the_page(browser, sessions, pledges):
    path = f"/plans/{pledges.plan_id}/pledges/2/measures/2.1"
    form = {"version": "1", "latest_value": "700", "latest_period": "2025-26"}
    assert browser(None).post(path, form).status_code == 404  # the plan is unpublished
    for user in USERS:
        b = browser(user)
        b.get(f"/plans/{pledges.plan_id}/pledges/2")
        with sessions() as s:  # the version the page shows now: each editor records in turn
            version = s.get(PledgeMeasure, pledges.measures["2.1"]).version
        response = b.post(path, {**form, "version": str(version)})
        expected = 303 if user in RECORDERS else _refused(user)
        assert response.status_code == expected, (user, response.text[:300])
    # Without the CSRF token nobody may post.
    assert browser("county-editor").post(path, form, csrf=False).status_code == 403


def test_a_stale_or_bad_save_re_shows_the_form_with_what_was_typed(browser, pledges):
    b = browser("county-editor")
    page = f"/plans/{pledges.plan_id}/pledges/2"
    b.get(page)
    assert (
        b.post(
            page + "/measures/2.1",
            {"version": "1", "latest_value": "790", "latest_period": "2024-25"},
        ).status_code
        == 303
    )
    stale = b.post(
        page + "/measures/2.1", {"version": "1", "latest_value": "777", "latest_period": "2025-26"}
    )
    assert stale.status_code == 409
    assert 'value="777"' in stale.text and "Someone else changed this measure" in stale.text
    bad = b.post(
        page + "/measures/2.1", {"version": "2", "latest_value": "lots", "latest_period": "2025-26"}
    )
    assert bad.status_code == 400
    assert 'href="#latest_value-2-1"' in bad.text and 'value="lots"' in bad.text


def _token(sessions, user: str) -> dict[str, str]:
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, user), "test")
    return {"Authorization": f"Bearer {token}"}


def test_api_writes_need_a_recorders_token(client, sessions, pledges):
    path = f"/api/v1/plans/{pledges.plan_id}/pledges/1/measures/1.1"
    body = {"version": 1, "value": "75", "period": "2024-25"}
    assert client.put(path, json=body).status_code == 401
    for user in USERS:
        response = client.put(path, json={**body, "version": 0}, headers=_token(sessions, user))
        # version 0 is stale for everyone allowed to write: they get 409, the others 403.
        assert response.status_code == (409 if user in RECORDERS else _refused(user)), (
            user,
            response.text,
        )
    headers = _token(sessions, "county-editor")
    saved = client.put(path, json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    # 60 -> 80 over 2023-24 to 2025-26; 75 in 2024-25 is above the line's 70: on track.
    assert (saved.json()["status"], saved.json()["version"]) == ("on_track", 2)
    stale = client.put(path, json={**body, "value": "76"}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["error"]["current_version"] == 2
    bad = client.put(path, json={**body, "version": 2, "period": "someday"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "latest_period"
    assert (
        client.put(
            f"/api/v1/plans/{pledges.plan_id}/pledges/1/measures/9.9", json=body, headers=headers
        ).status_code
        == 404
    )
