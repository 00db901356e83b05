"""`placeplan backup OUT` and `placeplan restore IN` round-trip the demo on both databases, and
the restored audit log still verifies."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from placeplan.cli import main
from placeplan.demo.loader import load_demo
from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent
from placeplan.store.db import make_engine, session_factory
from placeplan.store.migrate import upgrade
from tests.conftest import postgres_base_url


def _counts(engine: Engine) -> tuple[int, int, str | None]:
    with session_factory(engine)() as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
        plans = s.scalar(select(func.count()).select_from(Plan)) or 0
        head = s.scalar(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1))
    return events, plans, head


def _run(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> dict:
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", url)
    result = CliRunner().invoke(main, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


@pytest.fixture
def empty_target(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A second, empty but migrated database of the same kind to restore into."""
    if engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        target = make_engine(url)
        upgrade(target)
        target.dispose()
        yield url
        return
    base = postgres_base_url()
    name = f"placeplan_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_round_trips_and_its_audit_verifies(engine, empty_target, tmp_path, monkeypatch):
    load_demo(session_factory(engine))
    before = _counts(engine)
    assert before[0] > 0 and before[1] == 5  # the demo's five plans (demo/data/llr.yaml)
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "backup.dump"
    written = _run(monkeypatch, url, "backup", str(out))
    assert written["bytes"] == out.stat().st_size > 0

    _run(monkeypatch, empty_target, "restore", "--yes", str(out))
    restored = make_engine(empty_target)
    try:
        assert _counts(restored) == before
        # the append-only guard came back with the data
        with restored.connect() as c, pytest.raises(Exception, match="append-only"):
            c.execute(text("DELETE FROM audit_events"))
    finally:
        restored.dispose()
    report = _run(monkeypatch, empty_target, "audit", "verify")
    assert report == {"intact": True, "checked": before[0], "broken_at": None, "problem": None}


def test_restoring_what_is_not_a_backup_is_refused(engine, tmp_path, monkeypatch):
    if engine.dialect.name != "sqlite":
        pytest.skip("the SQLite check reads the file's header")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(main, ["restore", "--yes", str(bogus)])
    assert result.exit_code == 2 and "is not a SQLite backup" in result.output
