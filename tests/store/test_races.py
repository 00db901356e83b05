"""Lost races are conflicts, never 500s (issue 15): 50 saves of one record from the same version,
at the same moment, through the API on PostgreSQL, give one 200 and 49 409s in the error shape,
and one audit event. Each save is its own request on its own thread and database connection."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.people import service as people
from placeplan.store.audit import AuditEvent
from placeplan.store.db import make_engine
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, add_budget

SAVES = 50


def _race(app, token: str, method: str, url: str, bodies: list[dict]) -> Counter[int]:
    start = threading.Barrier(len(bodies))

    def save(body: dict) -> int:
        client = TestClient(app, base_url="https://testserver")
        start.wait()
        answer = client.request(
            method, url, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        if answer.status_code == 409:
            assert "error" in answer.json()
        return answer.status_code

    with ThreadPoolExecutor(len(bodies)) as pool:
        return Counter(pool.map(save, bodies))


def _audit(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_fifty_same_version_saves_give_one_200_and_49_409s(engine, sessions, world):
    add_budget(sessions, world)
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "races")
    # its own engine: a pool as wide as the race, so each save waits for its row, not a connection
    racing = make_engine(
        str(engine.url.render_as_string(hide_password=False)), pool_size=SAVES, pool_timeout=30
    )
    app = create_app(Settings(database_url=str(engine.url)), engine=racing)
    try:
        for method, url, body in (
            (
                "PATCH",
                f"/api/v1/plans/{world.plan_id}",
                lambda i: {"version": 1, "title": f"Plan {i}"},
            ),
            (
                "PATCH",
                f"/api/v1/lines/{world.line_id}",
                # every body changes the line, whose new investment is £0 to begin with: a body
                # equal to what is stored has nothing to write and rightly answers 200
                lambda i: {"version": 1, "new_pence": i + 1},
            ),
        ):
            before = _audit(sessions)
            counts = _race(app, token, method, url, [body(i) for i in range(SAVES)])
            assert counts == Counter({200: 1, 409: SAVES - 1}), (url, counts)
            assert _audit(sessions) == before + 1, url
    finally:
        racing.dispose()
