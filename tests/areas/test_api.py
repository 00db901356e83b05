"""The areas API: bad and duplicate codes refused naming the field, and only for the system-wide
role."""

from __future__ import annotations

import re


def test_api_create_area_refuses_bad_codes_naming_the_field(browser, sessions, world):
    b = browser("system-admin")  # areas are reference data: the system-wide role's
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


def test_an_organisations_admin_changes_its_areas_only(browser, world):
    b = browser("county-admin")
    b.client.headers["X-CSRF-Token"] = b.token
    for code, status in (("E10000018", 200), ("E06000016", 403)):  # Leicestershire; Leicester
        version = b.client.get(f"/api/v1/areas/{code}").json()["version"]
        answer = b.client.patch(f"/api/v1/areas/{code}", json={"version": version, "name": "X"})
        assert answer.status_code == status, answer.text
    added = b.client.post("/api/v1/areas", json={"gss_code": "E06000017", "name": "Rutland"})
    assert added.status_code == 403
