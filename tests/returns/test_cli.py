"""`placeplan bcf return` on the demo: the Leicestershire 2025-26 plan's Q3 return (a draft) and
Q1 return (confirmed by the demo), and the year-end return, as workbooks.

Expected figures are worked out here from the demo's own data files: the illustrative spend in
demo/data/actuals_leics_2025_26.yaml and the lines' amounts in budget_leics_2025_26.yaml."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import yaml
from openpyxl import load_workbook

DATA = Path(__file__).resolve().parents[2] / "src" / "placeplan" / "demo" / "data"


def _expected_q3() -> tuple[int, int]:
    """Actual spend Q1 to Q3 summed, and the planned profile to Q3 (amount x 3 / 4 per line)."""
    spend = yaml.safe_load((DATA / "actuals_leics_2025_26.yaml").read_text())["spend"]
    budget = yaml.safe_load((DATA / "budget_leics_2025_26.yaml").read_text())
    actual = sum(item["actual_pence"] for item in spend)
    planned = sum(line["amount_pence"] * 3 // 4 for s in budget["schemes"] for line in s["lines"])
    return actual, planned


def _run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "placeplan.cli_entry", "bcf", "return", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _cover(path: Path) -> dict[str, object]:
    wb = load_workbook(path)
    return {row[0]: row[1] for row in wb["Return"].iter_rows(values_only=True)}


def test_the_q3_return_of_the_demo(tmp_path: Path, demo_sqlite: Path):
    db = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, db)
    out = tmp_path / "q3.xlsx"
    # the plan by its key, as the README has it (its number works too, below)
    done = _run(db, "leics-bcf-2025-26", "--quarter", "2025-26-Q3", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["plan_id"] == 5
    actual, planned = _expected_q3()
    assert said["quarter"] == "2025-26 Q3" and said["kind"] == "Quarterly return"
    assert said["illustrative"] is True and said["confirmed"] is False
    assert (said["actual_to_date_pence"], said["planned_to_date_pence"]) == (actual, planned)
    cover = _cover(out)
    assert cover["Figures"] == "Illustrative spend: not a real ledger"
    assert cover["National conditions still met"] == "Yes"
    assert cover["Actual to date"] == Decimal(actual) / 100
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Return",
        "Metrics",
        "Spend by category",
        "Spend by funding source",
        "Spend by line",
    ]
    # The categories' actual spend adds up to the total row.
    rows = list(wb["Spend by category"].iter_rows(min_row=2, values_only=True))
    assert rows[-1][0] == "Total"
    assert sum(r[3] for r in rows[:-1]) == rows[-1][3] == Decimal(actual) / 100
    metrics = list(wb["Metrics"].iter_rows(min_row=2, values_only=True))
    assert metrics and all(m[0] and m[3] for m in metrics)  # each metric with its SPC reading
    # The 2025-26 plan sets no ambitions (seed 000: "yet to be set"): the return holds it to
    # none, rather than to the 2021-22 plan's targets that the measures board shows as latest.
    assert {(m[5], m[6]) for m in metrics} == {("None set in this plan", None)}


def test_a_confirmed_return_and_the_year_end_return(tmp_path: Path, demo_sqlite: Path):
    db = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, db)
    q1 = _run(db, "5", "--quarter", "2025-26 Q1", str(tmp_path / "q1.xlsx"), "--format", "json")
    assert json.loads(q1.stdout)["confirmed"] is True
    q4 = _run(db, "5", "--quarter", "2025-26-Q4", str(tmp_path / "q4.xlsx"), "--format", "json")
    assert json.loads(q4.stdout)["kind"] == "Year-end return"
    cover = _cover(tmp_path / "q4.xlsx")
    actual, _ = _expected_q3()  # no Q4 spend is recorded: the outturn is Q1 to Q3's
    assert cover["Outturn for the year"] == Decimal(actual) / 100
    wrong = _run(db, "5", "--quarter", "2024-25 Q1", str(tmp_path / "x.xlsx"))
    assert wrong.returncode == 2
    assert "not a quarter of the plan's year, 2025-26" in wrong.stderr
