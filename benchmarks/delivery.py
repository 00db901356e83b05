"""A delivery plan of 500 actions x 12 reporting periods: the highlight report under load.

Run as `.venv/bin/python benchmarks/delivery.py`. It builds the plan on a SQLite file, times
loading it and the highlight page with nothing cached (as the first request after a write finds
it), then serves the app with uvicorn (2 workers, a subprocess) and times the highlight report API
and page under 8 concurrent keep-alive clients. Target: p95 < 100 ms. Reports only.
"""

from __future__ import annotations

import os

os.environ.setdefault("PLACEPLAN_ARGON2_TIME_COST", "1")
os.environ.setdefault("PLACEPLAN_ARGON2_MEMORY_KIB", "8192")

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from placeplan.areas import service as areas
from placeplan.core.actor import operator
from placeplan.delivery import service
from placeplan.organisations import service as organisations
from placeplan.people import service as people
from placeplan.plans import service as plans
from placeplan.store.db import make_engine, session_factory
from placeplan.store.migrate import upgrade
from placeplan.store.uow import unit_of_work

RAGS = ("green", "amber", "red")


def document(n_actions: int = 500, n_periods: int = 12) -> dict[str, Any]:
    per_priority = 10
    priorities = [
        {
            "ref": f"P{p}",
            "statement": f"We will improve priority {p}",
            "actions": [
                {
                    "ref": f"A{p}.{a}",
                    "we_will": f"Deliver action {p}.{a}",
                    "i_will": "I will get the support I need",
                    "stage": "delivery",
                    "lead_contacts": [f"lead{p}@example.org"],
                    "milestones": [
                        {"by": "First step", "due": "2024-06-30", "done": "2024-06-01"},
                        {"by": "Second step", "due": f"2024-{(a % 12) + 1:02d}-15"},
                    ],
                }
                for a in range(per_priority)
            ],
        }
        for p in range(n_actions // per_priority)
    ]
    themes = [
        {
            "ref": f"T{t}",
            "name": f"Theme {t}",
            "ambition": "An ambition",
            "priorities": priorities[t::5],
        }
        for t in range(5)
    ]
    months = [f"{2024 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(n_periods)]
    updates = [
        {
            "period": month,
            "actions": {
                f"A{p}.{a}": {
                    "overall": RAGS[(p + a + i) % 3],
                    "risk": RAGS[(p + i) % 3],
                    "trajectory": RAGS[(a + i) % 3],
                    "internal": f"Commentary for {month}",
                    "decision": "Agree the next step" if (p + a + i) % 17 == 0 else None,
                }
                for p in range(n_actions // per_priority)
                for a in range(per_priority)
            },
        }
        for i, month in enumerate(months)
    ]
    return {"themes": themes, "updates": updates}


def build(url: str) -> int:
    engine = make_engine(url)
    upgrade(engine)
    op = operator("bench")
    with unit_of_work(session_factory(engine)) as s:
        areas.create_system(s, op, "LLR", "LLR")
        areas.create_area(s, op, "E06000016", "Leicester", "LLR")
        organisations.create_organisation(
            s, op, "city", "City", "upper_tier_council", None, ["E06000016"], "LLR"
        )
        people.add_user(s, op, "bench.viewer", "Bench", "bench-password-1", "city", "viewer")
        plan = plans.create_plan(
            s,
            op,
            "strategy_delivery_plan",
            "Bench SDP",
            "2024-25 to 2025-26",
            area_code="E06000016",
        )
        start = time.perf_counter()
        counts = service.load_document(s, op, plan.id, document())
        print(f"load {counts}: {time.perf_counter() - start:.2f} s")
        plan_id = plan.id
    engine.dispose()
    return plan_id


def timed(
    base: str, cookies: dict[str, str], url: str, requests: int = 160, clients: int = 8
) -> None:
    """Clients in their own processes with keep-alive connections, as benchmarks/bcf.py does."""
    from concurrent.futures import ProcessPoolExecutor

    from bcf import _client_batch

    per_client = requests // clients
    with ProcessPoolExecutor(clients) as pool:
        batches = pool.map(_client_batch, [(base, cookies, url, per_client)] * clients)
        times = sorted(t for batch in batches for t in batch)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{url}: {clients} clients, {len(times)} requests: median "
        f"{statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
        f"(target < 100 ms: {'met' if p95 < 0.1 else 'NOT met'})"
    )


def cold(url: str, path: str, runs: int = 10) -> None:
    """The page as the first request after a write finds it: nothing cached, in one process."""
    import re

    from fastapi.testclient import TestClient

    from placeplan.app.factory import create_app
    from placeplan.config import Settings

    engine = make_engine(url)
    app = create_app(Settings(database_url=url, secure_cookies=False), engine=engine)
    with TestClient(app, base_url="http://bench") as client:
        page = client.get("/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        client.post(
            "/sign-in",
            data={
                "username": "bench.viewer",
                "password": "bench-password-1",
                "csrf_token": token[1],
            },
        )
        times = []
        for _ in range(runs):
            service.clear_caches()
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append(time.perf_counter() - start)
    engine.dispose()
    print(
        f"{path} uncached, one client: median {statistics.median(times) * 1000:.1f} ms,"
        f" worst {max(times) * 1000:.1f} ms"
    )


def main() -> int:
    from bcf import serve_subprocess

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        plan_id = build(url)
        cold(url, f"/plans/{plan_id}/delivery/highlight")
        with serve_subprocess(url) as (base, cookies):
            timed(base, cookies, f"/api/v1/plans/{plan_id}/delivery/highlight")
            timed(base, cookies, f"/plans/{plan_id}/delivery/highlight")
    return 0


if __name__ == "__main__":
    sys.exit(main())
