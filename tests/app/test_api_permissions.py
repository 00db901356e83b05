"""A permission test for every API write: signed out, another organisation, and each role.

Scripts authenticate with personal API tokens; each user here gets one through the service."""

from __future__ import annotations

import pytest

from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, submit

USERS = [
    None,
    "county-viewer",
    "county-editor",
    "county-approver",
    "county-admin",
    "city-editor",
    "icb-approver",
    "icb-admin",
    "system-admin",
]


# Reference data is the system-wide role's; an area's particulars also its organisations' admins.
SYSTEM = {"system-admin"}
AREA_ADMINS = {
    "county-admin",
    "icb-admin",
    "system-admin",
}  # the county and the ICB cover Leicestershire


COUNTY_EDITORS = {"county-editor", "county-admin", "icb-admin"}


SIGNED_IN = set(USERS) - {None}


def _version(client, headers, path):
    return (
        client.get(path, headers=headers).json().get("version", 1)
    )  # 1 when the asker cannot see it


# (method, path, body (callable given client/headers/world), who may: 2xx; others 403; anonymous 401)
WRITES = [
    (
        "post",
        "/api/v1/areas",
        lambda c, h, w: {"gss_code": "E06000017", "name": "Rutland", "system": "LLR"},
        SYSTEM,
    ),
    (
        "patch",
        "/api/v1/areas/E10000018",
        lambda c, h, w: {"version": _version(c, h, "/api/v1/areas/E10000018"), "name": "Leics"},
        AREA_ADMINS,
    ),
    (
        "post",
        "/api/v1/organisations",
        lambda c, h, w: {"key": "lpt", "name": "LPT", "kind": "nhs_trust", "ods_code": "RT5"},
        SYSTEM,
    ),
    (
        "post",
        "/api/v1/plans",
        lambda c, h, w: {
            "kind": "bcf_plan",
            "title": "BCF 2026-27",
            "period": "2026-27",
            "area": "E10000018",
        },
        COUNTY_EDITORS | {"icb-editor"},
    ),
    (
        "patch",
        "/api/v1/plans/{plan}",
        lambda c, h, w: {
            "version": _version(c, h, f"/api/v1/plans/{w.plan_id}"),
            "title": "Renamed",
        },
        COUNTY_EDITORS,
    ),
    (
        "post",
        "/api/v1/plans/{plan}/status",
        lambda c, h, w: {
            "version": _version(c, h, f"/api/v1/plans/{w.plan_id}"),
            "status": "submitted",
            "acknowledged": ["sign-off", "reviews", "ambitions", "stated-figures"],
        },
        COUNTY_EDITORS,
    ),
    (
        "post",
        "/api/v1/plans/{plan}/steps",
        lambda c, h, w: {"signatory_role": "s151_officer", "organisation": "county"},
        COUNTY_EDITORS,
    ),
    (
        "post",
        "/api/v1/steps/{hwb_step}/decision",
        lambda c, h, w: {
            "decision": "approved",
            "actual_date": "2025-03-27",
            # 1 when the asker cannot see the plan
            "version": c.get(f"/api/v1/plans/{w.plan_id}", headers=h)
            .json()
            .get("sign_off", [{"version": 1}])[0]["version"],
        },
        {"county-approver", "icb-approver"},
    ),
    ("post", "/api/v1/tokens", lambda c, h, w: {"name": "another"}, SIGNED_IN),
]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("method,path,body,allowed", WRITES, ids=[f"{w[0]} {w[1]}" for w in WRITES])
@pytest.mark.parametrize("user", USERS)
def test_api_writes(client, sessions, world, method, path, body, allowed, user):
    headers = {}
    if user:
        with unit_of_work(sessions) as s:
            token, _ = people.create_token(s, actor_for(s, user), "test")
        headers = {"Authorization": f"Bearer {token}"}
    if "decision" in path:  # decisions are taken on a submitted plan
        with unit_of_work(sessions) as s:
            submit(s, actor_for(s, "county-editor"), world.plan_id)
    url = path.format(plan=world.plan_id, hwb_step=world.hwb_step_id)
    response = getattr(client, method)(url, json=body(client, headers, world), headers=headers)
    if user is None:
        assert response.status_code == 401
    elif user in allowed:
        assert response.status_code in (200, 201), response.text
    elif "/plans/" in url or "/steps/" in url:
        # a draft of another organisation's area is not there to them at all
        assert response.status_code in (403, 404), response.text
    else:
        assert response.status_code == 403, response.text
