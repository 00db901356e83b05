"""Shared fixtures: the same integration tests run on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("PLACEPLAN_ARGON2_TIME_COST", "1")
os.environ.setdefault("PLACEPLAN_ARGON2_MEMORY_KIB", "8192")

import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from placeplan.app.wiring import wire  # noqa: E402
from placeplan.store.db import make_engine, session_factory  # noqa: E402
from placeplan.store.migrate import upgrade  # noqa: E402
from placeplan.store.registry import metadata  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# The web and browser fixtures, registered once for every folder (a fixture imported into several
# conftests would be several fixtures, and the session-wide browser would start twice).
pytest_plugins = ["tests.fixtures.web", "tests.fixtures.browser", "tests.fixtures.national"]

wire()  # the services' hooks, as the app and the command line wire them


def postgres_base_url() -> str:
    if url := os.environ.get("PLACEPLAN_TEST_DATABASE_URL"):
        return url.rstrip("/")
    written = ROOT / "var" / "test-database-url"
    if written.exists():
        return written.read_text().strip().rstrip("/")
    return "postgresql://postgres@127.0.0.1:5432"


def _no_postgres(reason: str) -> None:
    message = f"PostgreSQL tests cannot run: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (a failure under CI=true)", pytrace=False)
    sys.stderr.write(
        "\n" + "!" * 78 + f"\n{message}\nSKIPPING THE POSTGRESQL TESTS\n" + "!" * 78 + "\n"
    )
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway database for this run, dropped at the end."""
    import psycopg

    base = postgres_base_url()
    name = f"placeplan_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        _no_postgres(f"{base} does not answer ({exc})")
    yield f"{base}/{name}"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_postgres(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the LLR demo, loaded once a run: copy it before writing to it."""
    from placeplan.demo.loader import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo(session_factory(engine))
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


def _empty_postgres(engine: Engine) -> None:
    # TRUNCATE does not fire the row triggers that keep the audit log append-only.
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database of each dialect."""
    if request.param == "sqlite":
        path = tmp_path / "placeplan.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("migrated_postgres")
        _empty_postgres(engine)
        yield engine


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as s:
        yield s


# The files whose few tests take longest (the walks and the longest browser journeys, by
# `--durations`), slowest first. `make test` gives whole files to two workers
# (`--dist loadfile --no-loadscope-reorder`) in the order below: were one of these handed out
# last, as xdist's own order (most tests first) would, one worker would run it alone at the end.
SLOW_FILES = (
    "tests/app/test_offline_browser.py",
    "tests/capacity/test_pages_browser.py",
    "tests/web/test_guards.py",
    "tests/app/test_route_access.py",
    "tests/app/test_record_language.py",
    "tests/pledges/test_browser_editing.py",
    "tests/demo/test_loader.py",
    "tests/people/test_pages_oidc.py",
    "tests/delivery/test_pages_report_browser.py",
    "tests/store/test_backup.py",
    "tests/plans/test_sign_off_browser.py",
    "tests/packs/test_cli.py",
    "tests/app/test_api_fuzz.py",
    "tests/app/test_breadcrumbs.py",
    "tests/finance/test_cli.py",
)


def _file_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """SLOW_FILES first, then the other files by their number of tests (xdist's own order),
    each file's tests in their own order."""
    files = [item.nodeid.split("::")[0] for item in items]
    counts = Counter(files)
    first = {f: i for i, f in reversed(list(enumerate(files)))}

    def key(pair: tuple[str, pytest.Item]) -> tuple[int, int, int]:
        name = pair[0]
        rank = SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES)
        return rank, -counts[name], first[name]

    return [item for _, item in sorted(zip(files, items, strict=True), key=key)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Apply the markers from what a test uses, so `-m "not browser"` runs the fast part and
    `-m "not postgres"` runs without a PostgreSQL server; and put the files in the order
    `_file_order` gives."""
    items[:] = _file_order(items)
    for item in items:
        if {"chromium", "page", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        uses_postgres = any(v == "postgresql" for v in params) or bool(
            {"postgres_url", "migrated_postgres"} & set(getattr(item, "fixturenames", ()))
        )
        if uses_postgres:
            item.add_marker(pytest.mark.postgres)
