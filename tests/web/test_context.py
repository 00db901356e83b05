"""Writes need the asker's CSRF token (a form field on pages, a header on the API) or an API token."""

from __future__ import annotations


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
