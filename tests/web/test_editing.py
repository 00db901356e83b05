"""Editing through the pages and the API: conflicts, bad input, tokens."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent


def _version(sessions, plan_id) -> int:
    with sessions() as s:
        return s.get(Plan, plan_id).version


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


def test_api_conflict_is_409_with_the_changes(browser, sessions, world):
    b = browser("county-editor")
    token = re.search(
        r"<code>(pp_[^<]+)</code>", b.post("/account/tokens", {"name": "script"}).text
    )[1]
    headers = {"Authorization": f"Bearer {token}"}
    started = _version(sessions, world.plan_id)
    ok = b.client.patch(
        f"/api/v1/plans/{world.plan_id}", json={"version": started, "title": "One"}, headers=headers
    )
    assert ok.status_code == 200, ok.text
    stale = b.client.patch(
        f"/api/v1/plans/{world.plan_id}", json={"version": started, "title": "Two"}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["changes"] == {
        "title": {"yours": "County BCF 2025-26", "now": "One"}
    }


def test_a_bad_period_names_the_field_keeps_the_form_and_writes_nothing(browser, sessions, world):
    b = browser("county-editor")
    with sessions() as s:
        events_before = s.scalar(select(func.count()).select_from(AuditEvent))
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
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_tokens_are_shown_once_work_and_can_be_revoked(browser, world):
    b = browser("county-editor")
    created = b.post("/account/tokens", {"name": "my script"})
    token = re.search(r"<code>(pp_[^<]+)</code>", created.text)[1]
    headers = {"Authorization": f"Bearer {token}"}
    me = b.client.get("/api/v1/me", headers=headers).json()
    assert me["username"] == "county-editor"
    assert token not in b.get("/account").text  # shown once only
    token_id = re.search(r"/account/tokens/(\d+)/revoke", b.get("/account").text)[1]
    assert b.post(f"/account/tokens/{token_id}/revoke").status_code == 303
    assert b.client.get("/api/v1/me", headers=headers).status_code == 401


def test_sign_in_with_a_wrong_password_says_so(browser):
    b = browser()
    b.get("/sign-in")
    response = b.post("/sign-in", {"username": "county-editor", "password": "wrong"})
    assert response.status_code == 400
    assert "Enter a correct username and password" in response.text


def test_sign_in_does_not_redirect_off_site(browser):
    b = browser()
    b.get("/sign-in")
    from tests.factories import PASSWORD

    response = b.post(
        "/sign-in", {"username": "county-editor", "password": PASSWORD, "next": "//evil.example"}
    )
    assert response.headers["location"] == "/"


def test_api_create_area_refuses_bad_codes_naming_the_field(browser, sessions, world):
    b = browser("county-admin")
    token = re.search(
        r"<code>(pp_[^<]+)</code>", b.post("/account/tokens", {"name": "admin"}).text
    )[1]
    headers = {"Authorization": f"Bearer {token}"}
    bad = b.client.post(
        "/api/v1/areas", json={"gss_code": "E0700012", "name": "Bad"}, headers=headers
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["field"] == "gss_code"
    dup = b.client.post(
        "/api/v1/areas", json={"gss_code": "E06000016", "name": "Again"}, headers=headers
    )
    assert dup.status_code == 400
    ok = b.client.post(
        "/api/v1/areas",
        json={"gss_code": "E06000017", "name": "Rutland", "system": "LLR"},
        headers=headers,
    )
    assert ok.status_code == 201
    viewer = browser("county-viewer")
    t2 = re.search(r"<code>(pp_[^<]+)</code>", viewer.post("/account/tokens", {"name": "v"}).text)[
        1
    ]
    refused = viewer.client.post(
        "/api/v1/areas",
        json={"gss_code": "E06000018", "name": "Nottingham"},
        headers={"Authorization": f"Bearer {t2}"},
    )
    assert refused.status_code == 403


def test_every_form_carries_a_csrf_token(browser, sessions, world):
    """Forms rendered through shared macros must still see the asker's token."""
    from tests.factories import add_budget

    add_budget(sessions, world)
    pages = {
        "county-approver": [f"/plans/{world.plan_id}", "/account"],
        "county-editor": [
            f"/plans/{world.plan_id}",
            f"/plans/{world.plan_id}/edit",
            f"/plans/{world.plan_id}/budget",
            f"/schemes/{world.scheme_id}",
            f"/plans/{world.plan_id}/capacity",
        ],
    }
    for user, paths in pages.items():
        b = browser(user)
        for path in paths:
            html = b.get(path).text
            assert 'name="csrf_token"' in html, path
            assert 'name="csrf_token" value=""' not in html, path
