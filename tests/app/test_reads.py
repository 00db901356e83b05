"""Every page and API read, signed out and signed in, on one world per dialect (reads change nothing)."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.store.db import make_engine, session_factory
from tests.factories import _ids, add_budget, build_world
from tests.fixtures.web import Browser


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def read_world(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("reads") / "reads.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
    else:
        from tests.conftest import _empty_postgres

        engine = request.getfixturevalue("migrated_postgres")
        _empty_postgres(engine)
    sessions = session_factory(engine)
    world = add_budget(sessions, build_world(sessions))
    from placeplan.core.actor import operator
    from placeplan.demo.measures import load_demo_measures
    from placeplan.store.uow import unit_of_work

    with unit_of_work(sessions) as s:
        load_demo_measures(s, operator())
    app = create_app(Settings(database_url=str(engine.url)), engine=engine)
    browsers = {}
    for user in (None, "county-viewer"):  # a viewer of the organisation with a part in the drafts
        b = Browser(TestClient(app, base_url="https://testserver"))
        browsers[user] = b.sign_in(user) if user else b
    yield browsers, {**_ids(sessions, world), "scheme": world.scheme_id}


# (path, expected status for signed-out visitors, for a signed-in user of the plans' organisations)
READS = [
    ("/", 200, 200),
    ("/areas", 200, 200),
    ("/areas?format=csv", 200, 200),
    ("/areas/E10000018", 200, 200),
    ("/organisations", 200, 200),
    ("/organisations/{org}", 200, 200),
    ("/bodies", 200, 200),
    ("/bodies/{body}", 200, 200),
    ("/plans", 200, 200),
    ("/plans?format=csv", 200, 200),
    ("/plans/{published}", 200, 200),
    ("/plans/{plan}", 404, 200),
    ("/audit", 401, 200),
    ("/audit?entity=plan:{plan}", 401, 200),
    ("/account", 303, 200),
    ("/sign-in", 200, 200),
    ("/api/v1/systems", 200, 200),
    ("/api/v1/areas", 200, 200),
    ("/api/v1/areas/E10000018", 200, 200),
    ("/api/v1/organisations", 200, 200),
    ("/api/v1/organisations/{org}", 200, 200),
    ("/api/v1/bodies", 200, 200),
    ("/api/v1/bodies/{body}", 200, 200),
    ("/api/v1/plans", 200, 200),
    ("/api/v1/plans/{plan}", 404, 200),
    ("/api/v1/plans/{published}", 200, 200),
    ("/api/v1/plans/{plan}/versions", 404, 200),
    ("/api/v1/audit", 401, 200),
    ("/api/v1/me", 200, 200),
    ("/api/v1/openapi.json", 200, 200),
    ("/plans/{plan}/budget", 404, 200),
    ("/plans/{plan}/budget?format=csv&category=acute", 404, 200),
    ("/plans/{published}/budget", 200, 200),
    ("/plans/{plan}/budget.xlsx", 404, 200),
    ("/schemes/{scheme}", 404, 200),
    ("/systems/LLR/budget?year=2025", 200, 200),
    ("/api/v1/plans/{plan}/budget", 404, 200),
    ("/api/v1/plans/{plan}/budget/summary", 404, 200),
    ("/api/v1/schemes/{scheme}", 404, 200),
    ("/metrics", 200, 200),
    ("/board", 200, 200),
    ("/board?format=csv", 200, 200),
    ("/areas/E10000018/metrics/emergency_admissions_65_plus", 200, 200),
    ("/areas/E10000018/metrics/no_such_metric", 404, 404),
    ("/plans/{plan}/metrics", 404, 200),
    ("/plans/{published}/metrics", 200, 200),
    ("/api/v1/metrics", 200, 200),
    ("/api/v1/board", 200, 200),
    ("/api/v1/areas/E10000018/metrics/emergency_admissions_65_plus", 200, 200),
]


@pytest.mark.parametrize("path,signed_out,signed_in", READS)
@pytest.mark.parametrize("user", [None, "county-viewer"])
def test_reads(read_world, path, signed_out, signed_in, user):
    browsers, ids = read_world
    response = browsers[user].get(path.format(**ids))
    assert response.status_code == (signed_in if user else signed_out), response.text[:300]
