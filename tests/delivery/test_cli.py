"""`placeplan delivery export` and `import`: the tracker workbook through the command line, on a
real SQLite database file. The tracker is tests/delivery/conftest.py's: actions HP2.1, HP2.2 and
HP3.1 in rows 2 to 4 of the Actions sheet."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.cli import main
from placeplan.delivery.models import DeliveryAction
from placeplan.store.audit import AuditEvent
from placeplan.store.db import make_engine, session_factory
from tests.delivery.conftest import make_delivery_plan
from tests.factories import build_world


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
def plan_id(sessions) -> int:
    build_world(sessions)
    return make_delivery_plan(sessions).plan_id


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def audit_count(sessions) -> int:
    with sessions() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind != "sign_in")
            )
            or 0
        )


def set_cell(path, sheet: str, header: str, row: int, value: object) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    letter = next(c.column_letter for c in ws[1] if c.value == header)
    ws[f"{letter}{row}"] = value
    wb.save(path)


def test_export_import_export_is_identical_and_the_import_writes_nothing(
    sessions, plan_id, tmp_path
):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    out = run("delivery", "export", str(plan_id), str(first), "--period", "2025-26 Q2",
              "--format", "json")  # fmt: skip
    assert out.exit_code == 0, out.output
    # conftest's plan has three actions.
    assert json.loads(out.output) == {
        "plan_id": plan_id,
        "file": str(first),
        "period": "2025-26 Q2",
        "actions": 3,
    }
    before = audit_count(sessions)
    imported = run("delivery", "import", str(first), "--format", "json")
    assert imported.exit_code == 0, imported.output
    summary = json.loads(imported.output)
    assert summary["changes"] == [] and summary["dry_run"] is False
    assert audit_count(sessions) == before
    # The period defaults to the latest with updates: 2025-26 Q2 in conftest.
    assert run("delivery", "export", str(plan_id), str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_dry_run_prints_the_differences_and_writes_nothing(sessions, plan_id, tmp_path):
    path = tmp_path / "t.xlsx"
    assert run("delivery", "export", str(plan_id), str(path)).exit_code == 0
    set_cell(path, "Actions", "We will", 3, "Enable digital literacy for all")
    before = audit_count(sessions)
    dry = run("delivery", "import", str(path), "--plan", str(plan_id), "--dry-run",
              "--format", "json")  # fmt: skip
    assert dry.exit_code == 0, dry.output
    shown = json.loads(dry.output)
    # Row 3 is HP2.2, "Enable digital literacy" in conftest: one action changed, one field.
    assert shown["dry_run"] is True and shown["summary"] == "1 action changed"
    (section,) = shown["sections"]
    assert (section["title"], section["changed"]) == ("Actions", 1)
    assert section["changes"][0]["name"] == "HP2.2: Enable digital literacy"
    assert section["changes"][0]["fields"] == [
        {
            "field": "We will",
            "before": "Enable digital literacy",
            "after": "Enable digital literacy for all",
            "before_text": "Enable digital literacy",
            "after_text": "Enable digital literacy for all",
        }
    ]
    assert audit_count(sessions) == before
    text = run("delivery", "import", str(path), "--dry-run")
    assert "Would change" in text.output and "We will: Enable digital literacy -> " in text.output
    assert audit_count(sessions) == before
    done = run("delivery", "import", str(path), "--format", "json")
    result = json.loads(done.output)
    assert result["actions_changed"] == 1 and result["summary"] == "1 action changed"
    assert audit_count(sessions) == before + 1  # one update of the one action
    with sessions() as s:
        assert "Enable digital literacy for all" in {
            a.we_will for a in s.scalars(select(DeliveryAction))
        }


def test_a_bad_cell_exits_2_naming_file_sheet_row_and_column(sessions, plan_id, tmp_path):
    path = tmp_path / "t.xlsx"
    run("delivery", "export", str(plan_id), str(path))
    set_cell(path, "Actions", "Overall RAG", 4, "Purple")
    before = audit_count(sessions)
    bad = CliRunner().invoke(main, ["delivery", "import", str(path), "--format", "json"])
    assert bad.exit_code == 2
    error = json.loads(bad.stderr)["error"]
    assert (error["file"], error["sheet"], error["row"], error["field"]) == (
        str(path),
        "Actions",
        4,
        "Overall RAG",
    )
    assert "expected Red, Amber, Green" in error["message"]
    assert audit_count(sessions) == before


def test_a_row_changed_since_the_export_is_a_conflict_exit_2(sessions, plan_id, tmp_path):
    path = tmp_path / "t.xlsx"
    run("delivery", "export", str(plan_id), str(path))
    changed = tmp_path / "changed.xlsx"
    shutil.copy(path, changed)
    set_cell(changed, "Actions", "I will", 2, "Changed first")
    assert run("delivery", "import", str(changed)).exit_code == 0
    set_cell(path, "Actions", "I will", 2, "Changed second")
    stale = CliRunner().invoke(main, ["delivery", "import", str(path), "--format", "json"])
    assert stale.exit_code == 2
    error = json.loads(stale.stderr)["error"]
    assert error["conflict"] is True and "row 2" in error["message"]


def test_unknown_plan_and_missing_file_exit_2(sessions, plan_id, tmp_path):
    assert run("delivery", "export", "999", str(tmp_path / "x.xlsx")).exit_code == 2
    missing = CliRunner().invoke(
        main, ["delivery", "import", str(tmp_path / "none.xlsx"), "--format", "json"]
    )
    assert missing.exit_code == 2
    assert json.loads(missing.stderr)["error"]["message"] == "no such file"


def test_the_leicester_demo_tracker_round_trips(sessions, tmp_path):
    from placeplan.demo.delivery import DEMO_PLAN_KEY
    from placeplan.demo.loader import load_demo
    from placeplan.plans.models import Plan

    load_demo(sessions)
    with sessions() as s:
        demo_id = s.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("delivery", "export", str(demo_id), str(first)).exit_code == 0
    wb = load_workbook(io.BytesIO(first.read_bytes()))
    refs = [r[3] for r in wb["Actions"].iter_rows(min_row=2, values_only=True)]
    # demo/data/delivery_leicester_2023_25.yaml: the four Healthy Places actions of seed 004,
    # with 5 + 4 + 4 + 4 = 17 activities ("By ...").
    assert refs == ["HP2.1", "HP2.2", "HP2.3", "HP2.4"]
    assert wb["Milestones"].max_row - 1 == 17
    before = audit_count(sessions)
    result = run("delivery", "import", str(first), "--format", "json")
    assert json.loads(result.output)["changes"] == []
    assert audit_count(sessions) == before
    assert run("delivery", "export", str(demo_id), str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
