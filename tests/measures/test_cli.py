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
    assert set(body) == {"points", "variation", "assurance"}
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
