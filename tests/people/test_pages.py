"""The people pages: signing in, and personal API tokens shown once, working and revoked."""

from __future__ import annotations

import re


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


def _attempt(b, password: str, username: str = "county-editor"):
    return b.post("/sign-in", {"username": username, "password": password})


def test_repeated_failures_slow_then_refuse_at_once_and_are_audited(browser, sessions):
    from sqlalchemy import select

    from placeplan.people.domain import ACCOUNT
    from placeplan.store.audit import AuditEvent
    from tests.factories import PASSWORD

    b = browser()
    b.get("/sign-in")
    # ACCOUNT.free failures are answered as wrong; the next attempt, even with the right
    # password, must wait: 429 at once, with Retry-After, in the same words for any account.
    for _ in range(ACCOUNT.free):
        assert _attempt(b, "wrong password").status_code == 400
    refused = _attempt(b, PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"  # 2 ** (5 - 5) seconds (people.domain.Limit)
    assert "Too many attempts to sign in" in refused.text
    for _ in range(ACCOUNT.free):
        assert _attempt(b, "wrong password", "nobody-at-all").status_code == 400
    unknown = _attempt(b, "wrong password", "nobody-at-all")
    assert unknown.status_code == 429 and unknown.text.count(
        "Too many attempts"
    ) == refused.text.count("Too many attempts")
    with sessions() as s:
        actions = list(
            s.scalars(select(AuditEvent.action).where(AuditEvent.entity_kind == "sign_in"))
        )
    assert actions.count("sign_in_failed") == 2 * ACCOUNT.free and "sign_in" not in actions


def test_a_right_password_signs_in_and_is_audited(browser, sessions):
    from sqlalchemy import select

    from placeplan.store.audit import AuditEvent
    from tests.factories import PASSWORD

    b = browser()
    b.get("/sign-in")
    assert _attempt(b, PASSWORD).status_code == 303
    with sessions() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in"))
    assert event is not None and event.after["username"] == "county-editor"
    assert "password" not in str(event.after).lower()
