"""`placeplan finance show` and `export` on the LLR model (seed 003, Tables 17 to 19)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from openpyxl import load_workbook

from placeplan.core.actor import operator
from placeplan.demo.finance import DEMO_FILE
from placeplan.finance import service
from placeplan.plans import service as plans
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work
from tests.factories import build_world
from tests.finance.factory import two_areas


def test_show_and_export(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "finance.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    build_world(sessions)
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s, operator(), "five_year_plan", "Five-Year Plan", "2023-24 to 2027-28",
            system_code="LLR", key="llr-fyp",
        )  # fmt: skip
        document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
        service.create_model(s, operator(), plan.id, "Medium-term financial plan", document)
    engine.dispose()
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "placeplan.cli_entry", "finance"]
    shown = subprocess.run(
        [*command, "show", "llr-fyp", "--format", "json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    answer = json.loads(shown.stdout)
    bridge = {r["label"]: r["cells_thousands"][0] for r in answer["tables"]["bridge"]["rows"]}
    # Seed 003, Table 18.
    assert bridge["Do nothing challenge"] == -248_360
    assert bridge["Proposal challenge"] == 10
    table = subprocess.run(
        [*command, "show", "llr-fyp"], env=env, capture_output=True, text=True, check=True
    )
    assert "(248,360)" in table.stdout  # Table 17's five-year total deficit
    out = tmp_path / "mtfp.xlsx"
    subprocess.run([*command, "export", "llr-fyp", str(out)], env=env, check=True)
    book = load_workbook(out)
    assert book.sheetnames == ["Do nothing", "Proposal", "Bridge"]
    missing = subprocess.run(
        [*command, "show", "no-such-plan", "--format", "json"], env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert missing.returncode != 0
    assert json.loads(missing.stderr)["error"]["message"] == "no plan 'no-such-plan'"


def test_allocation_shown_and_exported(tmp_path: Path, sqlite_template: Path) -> None:
    """tests/finance/factory.py's two areas (figures by hand in tests/finance/test_allocation.py):
    target shares 75% and 25%, so A's target is £75 of £100 and today's £50 is 33.3% below it;
    B may lose 10% a year: £45, £40.50, £36.45, and A takes the rest: £55, £59.50, £63.55."""
    path = tmp_path / "allocation.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    build_world(sessions)
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s, operator(), "five_year_plan", "Five-Year Plan", "2024-25 to 2026-27",
            system_code="LLR", key="llr-shares",
        )  # fmt: skip
        service.create_allocation(s, operator(), plan.id, "Shares", two_areas(), illustrative=True)
    engine.dispose()
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "placeplan.cli_entry", "finance"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args], env=env, capture_output=True, text=True)

    shown = run("allocation", "llr-shares", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    answer = json.loads(shown.stdout)
    areas = {a["name"]: a for a in answer["areas"]}
    assert answer["years"] == ["2024-25", "2025-26", "2026-27"]
    assert [p["pence"] for p in areas["B"]["path"]] == [45_00, 40_50, 36_45]
    assert areas["A"]["target_pence"] == 75_00 and areas["A"]["distance_percent"] == "-33.33"
    table = run("allocation", "llr-shares")
    assert table.returncode == 0, table.stderr
    assert "Shares (illustrative figures)" in table.stdout
    lines = {line.split()[0]: line for line in table.stdout.splitlines() if line.strip()}
    assert "75.0%" in table.stdout and "-33.3%" in table.stdout and "£63.55" in lines["A"]
    out = tmp_path / "shares.xlsx"
    exported = run("allocation-export", "llr-shares", str(out))
    assert exported.returncode == 0, exported.stderr
    assert load_workbook(out).sheetnames  # a workbook opens; its cells: tests/finance/test_xlsx.py

    with unit_of_work(session_factory(make_engine(f"sqlite:///{path}"))) as s:
        service.create_allocation(s, operator(), plan.id, "Other", two_areas())
    several = run("allocation", "llr-shares", "--format", "json")
    assert several.returncode == 2
    error = json.loads(several.stderr)["error"]
    assert error["field"] == "allocation"
    assert error["message"] == "The plan has several allocations: choose one of 'Other', 'Shares'"
    chosen = run("allocation", "llr-shares", "--allocation", "Other", "--format", "json")
    assert chosen.returncode == 0 and json.loads(chosen.stdout)["name"] == "Other"
