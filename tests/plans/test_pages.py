"""The plan pages: a permission test for every write (signed out, another organisation, and each
role), and two people editing the same plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from placeplan.plans import service as plans
from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent
from tests.factories import _ids, _version, actor_for, submit

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


def test_plan_edit_form_only_for_editors_of_the_area(browser, sessions, world):
    path = f"/plans/{world.plan_id}/edit"
    assert browser(None).get(path).status_code == 404
    expected = {
        "county-viewer": 403,
        "county-editor": 200,
        "county-approver": 403,
        "county-admin": 200,
        "city-editor": 404,  # the city has no part in the county's draft: it is not there to them
        "city-approver": 404,
        "icb-editor": 200,
        "icb-approver": 403,
    }
    for user, status in expected.items():
        assert browser(user).get(path).status_code == status, user


# (path template, form, who may: these get a 303; signed-in others 403; signed-out 404)
WRITES = [
    (
        "/plans/{plan}/edit",
        {"title": "New title", "period": "2025-26", "summary": "", "version": "{plan_version}"},
        {"county-editor", "county-admin", "icb-editor"},
    ),
    (
        "/plans/{plan}/submit",
        {
            "acknowledged": ["sign-off", "reviews", "ambitions", "stated-figures"],
            "version": "{plan_version}",
        },
        {"county-editor", "county-admin", "icb-editor"},
    ),
    (
        "/plans/{plan}/steps",
        {"signatory_role": "s151_officer", "organisation_id": "{org}"},
        {"county-editor", "county-admin", "icb-editor"},
    ),
    (
        "/steps/{hwb_step}/decision",
        {"decision": "approved", "actual_date": "2025-03-27", "plan_id": "{plan}", "version": "1"},
        {"county-approver", "icb-approver"},
    ),
    (
        "/steps/{ce_step}/decision",
        {"decision": "approved", "actual_date": "2025-03-20", "plan_id": "{plan}", "version": "1"},
        {"county-approver"},
    ),
]


def _ready_for(sessions, world, path):
    """Decisions are taken on a submitted plan, in the chain's order."""
    if "decision" not in path:
        return
    with sessions() as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
        if "ce_step" in path:
            approver = actor_for(s, "county-approver")
            plans.record_decision(s, approver, world.hwb_step_id, "approved", date(2025, 3, 27))
        s.commit()


def _check_write(browser, sessions, world, path, form, allowed, user):
    _ready_for(sessions, world, path)
    ids = {**_ids(sessions, world), "plan_version": _version(sessions, world.plan_id)}
    b = browser(user)
    response = b.post(
        path.format(**ids),
        {k: v.format(**ids) if isinstance(v, str) else v for k, v in form.items()},
    )
    # Signed out, or of an organisation with no part in the county's draft: it is not there.
    outside = user is None or user.startswith("city-")
    expected = 303 if user in allowed else (404 if outside else 403)
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


def test_two_people_saving_the_same_plan(browser, sessions, world):
    alice, bob = browser("county-editor"), browser("icb-editor")
    alice.get(f"/plans/{world.plan_id}/edit")
    bob.get(f"/plans/{world.plan_id}/edit")
    started = _version(sessions, world.plan_id)
    form = {"period": "2025-26", "summary": "", "version": str(started)}
    first = alice.post(f"/plans/{world.plan_id}/edit", {**form, "title": "Alice's title"})
    assert first.status_code == 303
    second = bob.post(f"/plans/{world.plan_id}/edit", {**form, "title": "Bob's title"})
    assert second.status_code == 409
    page = second.text
    assert "Someone else changed this plan" in page
    assert "Alice&#39;s title" in page  # what changed, shown
    assert 'value="Bob&#39;s title"' in page  # what Bob typed, kept
    assert f'name="version" value="{started + 1}"' in page  # saving again is a knowing choice
    with sessions() as s:
        assert s.get(Plan, world.plan_id).title == "Alice's title"
    again = bob.post(
        f"/plans/{world.plan_id}/edit",
        {**form, "version": str(started + 1), "title": "Bob's title"},
    )
    assert again.status_code == 303


def test_a_bad_period_names_the_field_keeps_the_form_and_writes_nothing(browser, sessions, world):
    b = browser("county-editor")
    with sessions() as s:
        events_before = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_kind != "sign_in")
        )
    response = b.post(
        f"/plans/{world.plan_id}/edit",
        {
            "title": "Kept title",
            "period": "2025-27",
            "summary": "",
            "version": str(_version(sessions, world.plan_id)),
        },
    )
    assert response.status_code == 400
    assert 'href="#period"' in response.text and "2025-27" in response.text
    assert 'value="Kept title"' in response.text
    with sessions() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind != "sign_in")
            )
            == events_before
        )


def test_a_save_says_so_once_on_the_page_it_lands_on(browser, sessions, world):
    b = browser("county-editor")
    form = {"period": "2025-26", "summary": "", "version": str(_version(sessions, world.plan_id))}
    saved = b.post(f"/plans/{world.plan_id}/edit", {**form, "title": "A clearer title"})
    assert saved.status_code == 303
    landed = b.get(saved.headers["location"])
    assert 'role="status"' in landed.text and "Saved" in landed.text
    assert "Saved" not in b.get(saved.headers["location"]).text  # shown once
