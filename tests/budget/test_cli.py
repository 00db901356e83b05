"""`placeplan bcf ...` on a real SQLite file: exit codes, JSON on stdout, errors on stderr."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.budget.cli import bcf
from placeplan.budget.models import ExpenditureLineRow, Scheme
from placeplan.budget.service import load_document
from placeplan.core.actor import operator
from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work
from tests.factories import build_world
from tests.io import sample_document, snapshot


@pytest.fixture
def sessions(tmp_path, sqlite_template, monkeypatch):
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def world(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        load_document(s, operator(), world.plan_id, sample_document())
    return world


def run(*args: str):
    return CliRunner().invoke(bcf, list(args))


def counts(sessions) -> tuple[int, ...]:
    with sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Plan, Scheme, ExpenditureLineRow, AuditEvent)
        )


def test_export_import_export_through_the_cli(world, sessions, tmp_path):
    first = tmp_path / "first.xlsx"
    exported = run("export", str(world.plan_id), str(first), "--format", "json")
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["plan_id"] == world.plan_id
    imported = run("import", str(first))
    assert imported.exit_code == 0, imported.output
    new_id = int(imported.stdout.strip())  # the plan's id and nothing else on stdout
    assert new_id != world.plan_id
    assert "nhs-asc-minimum" in imported.stderr  # the warning, on stderr
    second = tmp_path / "second.xlsx"
    assert run("export", str(new_id), str(second)).exit_code == 0
    assert snapshot(second) == snapshot(first)
    again = run("import", str(second), "--plan", str(world.plan_id), "--format", "json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {
        "plan_id": world.plan_id,
        "differences": {"summary": "No changes", "sections": []},
    }


def test_a_dry_run_prints_the_differences_and_writes_nothing(world, sessions, tmp_path):
    path = tmp_path / "budget.xlsx"
    assert run("export", str(world.plan_id), str(path)).exit_code == 0
    wb = load_workbook(path)
    sheet = wb["Expenditure"]
    headers = {cell.value: cell.column for cell in sheet[4]}
    rows = {sheet.cell(r, headers["Line ID"]).value: r for r in range(5, sheet.max_row + 1)}
    first, second = [line for line in rows if line][:2]  # the first two lines, as exported
    sheet.cell(rows[first], headers["Note"]).value = "Edited in Excel"
    sheet.cell(rows[second], headers["Note"]).value = "Edited in Excel too"
    wb.save(path)
    before = counts(sessions)
    result = run("import", str(path), "--plan", str(world.plan_id), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["differences"]["summary"] == "2 lines changed"
    changed = shown["differences"]["sections"][0]["changes"]
    assert [(c["key"], c["fields"][0]["field"], c["fields"][0]["after"]) for c in changed] == [
        (first, "Note", "Edited in Excel"),
        (second, "Note", "Edited in Excel too"),
    ]
    assert {"rule", "severity", "message"} <= set(shown["findings"][0])
    assert counts(sessions) == before
    text = run("import", str(path), "--plan", str(world.plan_id), "--dry-run")
    assert text.exit_code == 0 and "2 lines changed (nothing written)" in text.stdout
    assert counts(sessions) == before
    applied = run("import", str(path), "--plan", str(world.plan_id))
    assert applied.exit_code == 0 and applied.stdout.strip() == str(world.plan_id)
    assert f"Plan {world.plan_id}: 2 lines changed" in applied.stderr
    assert counts(sessions)[3] == before[3] + 2  # one audit event a changed line
    no_plan = run("import", str(path), "--dry-run", "--format", "json")
    assert no_plan.exit_code == 2 and "--plan" in json.loads(no_plan.stderr)["error"]["message"]


def test_summary_json(world):
    result = run("summary", str(world.plan_id), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["total_pence"] == 2_505_568_89
    assert summary["new_pence"] == 100_000_00
    first = summary["categories"][0]
    assert {"category", "total_pence", "new_pence", "share"} <= set(first)
    assert [c["category"] for c in summary["categories"]] == [
        "acute",
        "intermediate_care_and_discharge",
        "community_and_prevention",
    ]
    assert summary["categories"][0]["total_pence"] == 99
    assert {"key", "total_pence", "share"} <= set(summary["by_type"][0])
    by_source = {r["key"]: r for r in summary["by_source"]}
    assert by_source["dfg"]["total_pence"] == 450_000_00
    assert abs(sum(r["share"] for r in summary["by_source"]) - 1) < 1e-5


def test_validate_reports_without_importing(world, sessions, tmp_path):
    good = tmp_path / "good.xlsx"
    run("export", str(world.plan_id), str(good))
    ok = run("validate", str(good), "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["valid"] is True
    wb = load_workbook(good)
    wb["Income"]["C5"] = 1.0  # the NHS minimum contribution no longer matches its lines
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    before = counts(sessions)
    for extra in ([], ["--plan", str(world.plan_id)]):
        result = run("validate", str(bad), *extra, "--format", "json")
        assert result.exit_code == 2
        report = json.loads(result.stdout)
        assert report["valid"] is False
        finding = next(f for f in report["findings"] if f["rule"] == "income-equals-expenditure")
        assert (finding["sheet"], finding["row"], finding["column"]) == ("Income", 5, "Amount (£)")
    text = run("validate", str(bad))
    assert text.exit_code == 2 and "income-equals-expenditure" in text.stdout
    assert counts(sessions) == before


def test_a_bad_import_exits_2_names_the_cell_and_writes_nothing(world, sessions, tmp_path):
    path = tmp_path / "a.xlsx"
    run("export", str(world.plan_id), str(path))
    wb = load_workbook(path)
    wb["Income"]["C5"] = 1.0
    wb.save(path)
    before = counts(sessions)
    for extra in ([], ["--plan", str(world.plan_id)]):
        result = run("import", str(path), *extra, "--format", "json")
        assert result.exit_code == 2
        error = json.loads(result.stderr)["error"]
        assert error["message"].startswith("[income-equals-expenditure]")
        assert (error["sheet"], error["row"], error["field"]) == ("Income", 5, "Amount (£)")
        assert error["file"] == str(path)
    assert counts(sessions) == before
    wb["Expenditure"]["I5"] = "=1+1"
    wb.save(path)
    result = run("import", str(path), "--format", "json")
    error = json.loads(result.stderr)["error"]
    assert result.exit_code == 2 and (error["sheet"], error["row"]) == ("Expenditure", 5)
    assert "formula" in error["message"]
    assert counts(sessions) == before


def test_hostile_and_missing_inputs_exit_2(world, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n1,2\n")
    result = run("import", str(fake), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"]["field"] == "file"
    missing = run("export", "999999", str(tmp_path / "x.xlsx"), "--format", "json")
    assert missing.exit_code == 2 and "no plan 999999" in missing.stderr
    assert not (tmp_path / "x.xlsx").exists()
    summary = run("summary", "999999")
    assert summary.exit_code == 2
