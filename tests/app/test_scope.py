"""The probe's cross-scope table (issue 15), asked through the API: each write or read that
reached past the asker's organisation is now refused, and the audit shows each person only their
plans' and their organisation's events."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placeplan.capacity import service as capacity
from placeplan.capacity.service.runs import MAX_ACTIVE_PER_USER
from placeplan.core.actor import operator
from placeplan.core.errors import TooManyAttempts
from placeplan.measures import service as measures
from placeplan.people import service as people
from placeplan.people.models import ApiToken
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.capacity.test_service import SMALL
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _headers(sessions, user: str) -> dict[str, str]:
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, user), "scope test")
    return {"Authorization": f"Bearer {token}"}


def _metric(sessions) -> None:
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            operator("test"),
            {
                "key": "admissions",
                "name": "Admissions 65+",
                "unit": "rate_per_100k",
                "direction": "lower",
                "frequency": "month",
            },
        )


def test_cross_scope_writes_are_refused(client, sessions, world):
    _metric(sessions)
    city = _headers(sessions, "city-editor")
    row = {"area_code": LEICESTERSHIRE, "period": "2025-04", "value": "150"}
    imported = client.post(
        "/api/v1/metrics/admissions/measurements", json={"rows": [row]}, headers=city
    )
    assert imported.status_code == 403, imported.text
    county_admin = _headers(sessions, "county-admin")
    area = client.get(f"/api/v1/areas/{LEICESTER}").json()
    renamed = client.patch(
        f"/api/v1/areas/{LEICESTER}",
        json={"version": area["version"], "name": "Leicester City"},
        headers=county_admin,
    )
    assert renamed.status_code == 403  # the county has no part in Leicester
    claimed = client.post(
        "/api/v1/organisations",
        json={"key": "mine", "name": "Mine", "kind": "vcse", "areas": [LEICESTER]},
        headers=county_admin,
    )
    assert claimed.status_code == 403


def test_drafts_and_internals_are_for_the_plans_organisations(client, sessions, world):
    city = _headers(sessions, "city-viewer")
    county = _headers(sessions, "county-viewer")
    assert client.get(f"/api/v1/plans/{world.plan_id}", headers=city).status_code == 404
    assert client.get(f"/api/v1/plans/{world.plan_id}", headers=county).status_code == 200
    listed = {p["id"] for p in client.get("/api/v1/plans", headers=city).json()}
    assert world.plan_id not in listed


def test_the_audit_is_scoped_and_token_prefixes_stay_out(client, sessions, world):
    city = _headers(sessions, "city-viewer")
    events = client.get("/api/v1/audit?limit=5000", headers=city).json()
    assert events and all(e["plan_id"] != world.plan_id for e in events)
    everything = client.get("/api/v1/audit?limit=5000", headers=_headers(sessions, "system-admin"))
    assert any(e["plan_id"] == world.plan_id for e in everything.json())
    with sessions() as s:
        prefixes = list(s.scalars(select(ApiToken.prefix)))
        logged = [e.after for e in s.scalars(select(AuditEvent)) if e.entity_kind == "api_token"]
    assert prefixes and logged and all("prefix" not in (a or {}) for a in logged)
    body = everything.text
    assert not any(p in body for p in prefixes)


def test_sizing_is_for_editors_and_queued_runs_are_limited(client, sessions, world):
    with unit_of_work(sessions) as s:
        model = capacity.create_model(s, operator("test"), world.plan_id, "Base", SMALL)
    sizing = f"/api/v1/capacity/models/{model.id}/size?service_id=P2&target=0.9&replications=2"
    viewer = client.get(sizing, headers=_headers(sessions, "county-viewer"))
    assert viewer.status_code == 403
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        for _ in range(MAX_ACTIVE_PER_USER):
            capacity.queue_run(s, editor, model.id, 10, 1)
    with unit_of_work(sessions) as s, pytest.raises(TooManyAttempts) as refused:
        capacity.queue_run(s, actor_for(s, "county-editor"), model.id, 10, 1)
    assert refused.value.retry_after > 0
    with unit_of_work(sessions) as s:  # another editor still has room
        capacity.queue_run(s, actor_for(s, "county-admin"), model.id, 10, 1)
