"""The demo for this folder's document tests: a copy of the run's loaded demo (`demo_sqlite`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from placeplan.plans.models import Plan
from placeplan.store.db import make_engine, session_factory

DEMO_PLAN = "leics-bcf-2025-26"


@pytest.fixture(scope="module")
def demo(
    demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[sessionmaker[Session], int, str]]:
    """The loaded demo's sessions, the Leicestershire 2025-26 plan's id, and the database URL."""
    path = tmp_path_factory.mktemp("narrative") / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    with sessions() as s:
        plan_id = s.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN))
    yield sessions, plan_id, str(engine.url)
    engine.dispose()
