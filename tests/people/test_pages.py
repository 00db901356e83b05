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
