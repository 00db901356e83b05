"""The `placeplan` command: exit codes, JSON output and errors, on a real database file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from placeplan.cli import main
from placeplan.store.db import make_engine, session_factory
from tests.factories import build_world


@pytest.fixture
def database(tmp_path, sqlite_template, monkeypatch):
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", url)
    return url


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_db_upgrade_creates_a_fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", f"sqlite:///{tmp_path}/new.sqlite3")
    result = run("db", "upgrade", "--format", "json")
    assert result.exit_code == 0, result.output
    from placeplan.store.migrate import head_revision

    assert json.loads(result.output)["revision"] == head_revision()


def test_plans_list_json(database):
    world = build_world(session_factory(make_engine(database)))
    result = run("plans", "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    by_id = {r["id"]: r for r in rows}
    assert set(rows[0]) == {"id", "kind", "area", "system", "period", "status", "title"}
    assert by_id[world.plan_id]["area"] == "E10000018"
    assert by_id[world.plan_id]["period"] == "2025-26"
    assert by_id[world.published_plan_id]["status"] == "published"


def test_users_add_and_bad_role_and_unknown_organisation(database):
    build_world(session_factory(make_engine(database)))
    ok = run(
        "users",
        "add",
        "--username",
        "new.person",
        "--organisation",
        "county",
        "--role",
        "editor",
        "--password",
        "a long enough password",
        "--format",
        "json",
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["username"] == "new.person"
    bad = CliRunner().invoke(
        main,
        [
            "users",
            "add",
            "--username",
            "x",
            "--organisation",
            "nowhere",
            "--role",
            "editor",
            "--password",
            "a long enough password",
            "--format",
            "json",
        ],
    )
    assert bad.exit_code == 2
    assert json.loads(bad.stderr)["error"]["field"] == "organisation"
    wrong_role = run(
        "users",
        "add",
        "--username",
        "y",
        "--organisation",
        "county",
        "--role",
        "boss",
        "--password",
        "a long enough password",
    )
    assert wrong_role.exit_code == 2


def test_audit_show_for_one_entity(database):
    world = build_world(session_factory(make_engine(database)))
    result = run("audit", "show", "--entity", f"plan:{world.plan_id}", "--format", "json")
    assert result.exit_code == 0
    events = json.loads(result.output)
    assert events and all(e["entity"] == f"plan:{world.plan_id}" for e in events)
    assert events[-1]["action"] == "create" and events[-1]["before"] is None
    bad = CliRunner().invoke(main, ["audit", "show", "--entity", "plan:x", "--format", "json"])
    assert bad.exit_code == 2
    assert json.loads(bad.stderr)["error"]["field"] == "entity"


def test_unreachable_database_is_one_line_with_the_password_masked(monkeypatch):
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", "postgresql://someone:s3cret@127.0.0.1:1/nothing")
    result = subprocess.run(
        [sys.executable, "-m", "placeplan.cli_entry", "plans", "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "127.0.0.1:1/nothing" in lines[0] and "***" in lines[0] and "s3cret" not in lines[0]


def test_serve_refuses_an_unmigrated_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", f"sqlite:///{tmp_path}/empty.sqlite3")
    result = CliRunner().invoke(main, ["serve", "--port", "1"])
    assert result.exit_code == 2
    assert "placeplan db upgrade" in result.stderr


def test_workbook_round_trip_in_fresh_processes(database, tmp_path):
    """Each command in its own interpreter, as people run them: no model may be left unimported."""
    import os

    build_world(session_factory(make_engine(database)))
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": database}

    def placeplan(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "placeplan.cli_entry", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    exported = placeplan("bcf", "export", "1", str(tmp_path / "plan.xlsx"))
    assert exported.returncode == 0, exported.stderr
    imported = placeplan("bcf", "import", str(tmp_path / "plan.xlsx"), "--format", "json")
    assert imported.returncode == 0, imported.stderr
    new_id = json.loads(imported.stdout)["plan_id"]
    listed = json.loads(placeplan("plans", "list", "--format", "json").stdout)
    assert any(p["id"] == new_id and p["status"] == "draft" for p in listed)
