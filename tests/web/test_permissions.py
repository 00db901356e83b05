"""A permission test for every route: signed out, another organisation, and each role."""

from __future__ import annotations

import pytest

from placeplan.governance.models import Body
from placeplan.organisations.models import Organisation

USERS = [
    None,
    "county-viewer",
    "county-editor",
    "county-approver",
    "county-admin",
    "city-editor",
    "city-approver",
    "icb-editor",
    "icb-approver",
]


def _ids(sessions, world):
    with sessions() as s:
        body = s.query(Body).filter_by(key="county-hwb").one().id
        org = s.query(Organisation).filter_by(key="county").one().id
    return {
        "plan": world.plan_id,
        "published": world.published_plan_id,
        "body": body,
        "org": org,
        "hwb_step": world.hwb_step_id,
        "ce_step": world.ce_step_id,
    }


def test_plan_edit_form_only_for_editors_of_the_area(browser, sessions, world):
    path = f"/plans/{world.plan_id}/edit"
    assert browser(None).get(path).status_code == 404
    expected = {
        "county-viewer": 403,
        "county-editor": 200,
        "county-approver": 403,
        "county-admin": 200,
        "city-editor": 403,
        "city-approver": 403,
        "icb-editor": 200,
        "icb-approver": 403,
    }
    for user, status in expected.items():
        assert browser(user).get(path).status_code == status, user


# (path template, form, who may: these get a 303; signed-in others 403; signed-out 404)
WRITES = [
    (
        "/plans/{plan}/edit",
        {"title": "New title", "period": "2025-26", "summary": ""},
        {"county-editor", "county-admin", "icb-editor"},
    ),
    (
        "/plans/{plan}/status",
        {"target": "submitted"},
        {"county-editor", "county-admin", "icb-editor"},
    ),
    (
        "/plans/{plan}/steps",
        {"signatory_role": "s151_officer", "organisation_id": "{org}"},
        {"county-editor", "county-admin", "icb-editor"},
    ),
    (
        "/steps/{hwb_step}/decision",
        {"decision": "approved", "actual_date": "2025-03-27", "plan_id": "{plan}"},
        {"county-approver", "icb-approver"},
    ),
    (
        "/steps/{ce_step}/decision",
        {"decision": "approved", "actual_date": "2025-03-20", "plan_id": "{plan}"},
        {"county-approver"},
    ),
]


def _check_write(browser, sessions, world, path, form, allowed, user):
    ids = _ids(sessions, world)
    b = browser(user)
    response = b.post(path.format(**ids), {k: v.format(**ids) for k, v in form.items()})
    expected = 303 if user in allowed else (404 if user is None else 403)
    assert response.status_code == expected, response.text[:500]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path,form,allowed", WRITES, ids=[w[0] for w in WRITES])
@pytest.mark.parametrize("user", USERS)
def test_writes(browser, sessions, world, path, form, allowed, user):
    _check_write(browser, sessions, world, path, form, allowed, user)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
@pytest.mark.parametrize("path,form,allowed", WRITES, ids=[w[0] for w in WRITES])
@pytest.mark.parametrize("user", [None, "county-editor", "city-editor", "icb-approver"])
def test_writes_on_postgresql_sample(browser, sessions, world, path, form, allowed, user):
    """The whole role matrix runs on SQLite above; here a sample runs on PostgreSQL."""
    _check_write(browser, sessions, world, path, form, allowed, user)


def test_writes_without_the_csrf_token_are_refused(browser, world):
    b = browser("county-editor")
    response = b.post(
        f"/plans/{world.plan_id}/edit", {"title": "x", "period": "2025-26"}, csrf=False
    )
    assert response.status_code == 403
    response = b.client.post(
        f"/plans/{world.plan_id}/edit", data={"title": "x", "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_api_writes_need_a_token_or_the_csrf_header(browser, client, world):
    assert (
        client.patch(
            f"/api/v1/plans/{world.plan_id}", json={"version": 1, "title": "x"}
        ).status_code
        == 401
    )
    b = browser("county-editor")
    assert (
        b.client.patch(
            f"/api/v1/plans/{world.plan_id}", json={"version": 1, "title": "x"}
        ).status_code
        == 403
    )
