"""`placeplan bcf narrative PLAN --docx OUT` and `placeplan capacity plan-export PLAN OUT.xlsx` on
the demo, the plan named by its key."""

from __future__ import annotations

import io
import json

import docx
from click.testing import CliRunner
from openpyxl import load_workbook

from placeplan.cli import main


def test_the_commands_write_the_demo_plans_documents(demo, tmp_path, monkeypatch):
    _, plan_id, url = demo
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", url)
    runner = CliRunner()
    out = tmp_path / "narrative.docx"
    done = runner.invoke(
        main,
        [
            "bcf",
            "narrative",
            "leics-bcf-2025-26",
            "--docx",
            str(out),
            "--replications",
            "0",
            "--format",
            "json",
        ],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["plan"] == plan_id
    assert "Section 3: Local priorities and duties" in [
        p.text for p in docx.Document(out).paragraphs
    ]
    book = tmp_path / "cd.xlsx"
    done = runner.invoke(
        main, ["capacity", "plan-export", str(plan_id), str(book), "--replications", "0"]
    )
    assert done.exit_code == 0, done.output
    sheet = load_workbook(io.BytesIO(book.read_bytes()))["Hospital discharge"]
    rows = {(r[1], r[2]): r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2]}
    packages = rows[("HART reablement at home (P1)", "Capacity: packages at once")]
    visits = rows[("HART reablement at home (P1)", "Visits: care calls a day")]
    # P1 in visits as well as packages: at most 2.5 care calls a day for each of its packages
    # (demo/data/capacity_llr.yaml, from the Leicestershire BCF plan 2021-22)
    assert all(0 < v <= p * 2.5 for v, p in zip(visits[3:15], packages[3:15], strict=True))
    assert visits[-1] is None  # a level, not a count: no year total
    missing = runner.invoke(main, ["bcf", "narrative", "no-such-plan", "--docx", str(out)])
    assert missing.exit_code != 0 and "no plan" in missing.output
