"""The plans API: a stale save is a 409 naming what changed."""

from __future__ import annotations

import re

from tests.factories import _version


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
