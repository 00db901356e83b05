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
