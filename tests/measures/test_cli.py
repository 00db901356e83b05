"""`spc` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from placeplan.measures.cli import spc


def run_spc(path: Path, *args: str) -> Result:
    return CliRunner().invoke(spc, [str(path), *args])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_spc_json_shape(tmp_path: Path) -> None:
    rows = "\n".join(f"2024-{i:02d},{v}" for i, v in enumerate([10, 12, 11, 13, 14], start=1))
    path = write(tmp_path, f"period,value\n{rows}\n")
    result = run_spc(path, "--direction", "higher", "--target", "17", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {"points", "variation", "assurance", "moving_range_screening"}
    assert set(body["points"][0]) == {"period", "value", "mean", "lower", "upper", "type"}
    assert body["points"][0]["period"] == "2024-01"
    assert body["points"][0]["mean"] == pytest.approx(12)
    assert body["points"][0]["upper"] == pytest.approx(15.99)
    assert body["variation"] == "common_cause" and body["assurance"] == "fail"


def test_spc_rebase_and_run_length_and_text(tmp_path: Path) -> None:
    rows = "\n".join(f"p{i:02d},{v}" for i, v in enumerate([10, 12, 11, 13, 14, 20, 24, 22]))
    path = write(tmp_path, f"period,value\n{rows}\n")
    result = run_spc(path, "--direction", "lower", "--rebase", "p05", "--run-length", "6")
    assert result.exit_code == 0, result.output
    assert "variation: " in result.stdout and "trial limits" in result.stdout
    as_json = run_spc(path, "--direction", "lower", "--rebase", "p05", "--format", "json")
    means = {p["mean"] for p in json.loads(as_json.stdout)["points"]}
    assert sorted(means) == pytest.approx([12, 22])


@pytest.mark.parametrize(
    ("text", "row", "field"),
    [
        ("period,value\n2024-01,10\n2024-02,ten\n", 3, "value"),
        ("period,value\n2024-01,10\n2024-01,11\n", 3, "period"),
        ("period,amount\n2024-01,10\n", 1, "value"),
        ("", None, None),
        ("period,value\n", 2, None),
    ],
)
def test_spc_bad_input_names_row_and_field(
    tmp_path: Path, text: str, row: int | None, field: str | None
) -> None:
    path = write(tmp_path, text)
    result = run_spc(path, "--direction", "higher", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["file"] == str(path) and error["message"]
    assert error.get("row") == row and error.get("field") == field


def test_spc_unknown_rebase_period_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\na,1\nb,2\n")
    result = run_spc(path, "--direction", "higher", "--rebase", "zz", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"]["field"] == "rebase"


def test_metrics_import_dry_run_prints_the_differences_and_writes_nothing(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's Leicester Housing Enablement Team referrals of seed 001 (901 in all, 173 from
    the Bradgate Mental Health Unit): the file keeps 901, makes Bradgate 175 and adds 950 for
    2022-23, so by hand 1 changed, 1 added and 1 unchanged."""
    import shutil

    from sqlalchemy import func, select

    from placeplan.cli import main
    from placeplan.core.actor import operator
    from placeplan.demo.measures import load_demo_measures
    from placeplan.store.audit import AuditEvent
    from placeplan.store.db import make_engine, session_factory
    from placeplan.store.uow import unit_of_work
    from tests.factories import build_world

    path = tmp_path / "db.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    build_world(sessions)
    with unit_of_work(sessions) as s:
        load_demo_measures(s, operator())

    def events() -> int:
        with sessions() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.entity_kind != "sign_in")
                )
                or 0
            )

    data = tmp_path / "het.csv"
    data.write_text(
        "area_code,period,numerator,breakdown,breakdown_value\n"
        "E06000016,2021-22,901,,\n"
        "E06000016,2021-22,175,referral_source,Bradgate Mental Health Unit\n"
        "E06000016,2022-23,950,,\n"
    )
    args = ["metrics", "import", str(data), "--metric", "het_referrals", "--format", "json"]
    before = events()
    dry = CliRunner().invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    shown = json.loads(dry.stdout)
    assert (shown["dry_run"], shown["imported"], shown["unchanged"]) == (True, 0, 1)
    assert shown["summary"] == "1 measurement changed, 1 measurement added"
    changed = shown["sections"][0]["changes"][0]
    assert changed["name"] == "Leicester, 2021-22, Referral source: Bradgate Mental Health Unit"
    assert changed["fields"][0] == {
        "field": "Value",
        "before": "173.000000",
        "after": "175.000000",
        "before_text": "173",
        "after_text": "175",
    }
    assert events() == before
    done = CliRunner().invoke(main, args)
    assert json.loads(done.stdout)["imported"] == 2 and events() == before + 2
    again = CliRunner().invoke(main, args)
    assert json.loads(again.stdout)["imported"] == 0 and events() == before + 2
    engine.dispose()


def test_spc_lists_a_figure_of_another_period_length_rather_than_charting_it(tmp_path: Path):
    # The demo's long-term admissions: the 2019-20 rate over the year (536 per 100,000, seed 002)
    # before monthly rates near 40; charted together the limits would fit neither.
    months = "\n".join(f"2022-{i:02d},{v}" for i, v in enumerate([43, 45, 44, 41, 40], start=4))
    path = write(tmp_path, f"period,value\n2019-20,536\n{months}\n")
    body = json.loads(run_spc(path, "--direction", "lower", "--format", "json").stdout)
    assert [p["period"] for p in body["points"]] == [f"2022-{i:02d}" for i in range(4, 9)]
    assert body["other_figures"] == [{"period": "2019-20", "length": "year", "value": 536.0}]
    text = run_spc(path, "--direction", "lower").stdout
    assert "other figures, not plotted: 2019-20 (year) 536." in text
