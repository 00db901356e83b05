"""The collector set for serving (`web.collector`): once an application has started in a process,
what the process held is frozen out of the cyclic collector's sight, and the youngest generation
is collected after 20,000 allocations instead of Python's 700. A second application in the same
process (as in these tests) finds it done."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.web import collector


def test_an_application_starting_freezes_what_the_process_holds(engine) -> None:
    settings = Settings(database_url=str(engine.url))
    with TestClient(create_app(settings, engine)):
        pass
    assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD == 20_000
    # The application's modules, mappers and routes alone are some 300,000 objects
    # (docs/architecture.md, "The collector"); at least 100,000 of them are out of sight.
    assert gc.get_freeze_count() > 100_000
    frozen = gc.get_freeze_count()
    with TestClient(create_app(settings, engine)):
        pass
    assert gc.get_freeze_count() == frozen  # once a process
