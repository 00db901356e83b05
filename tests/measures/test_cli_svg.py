"""`spc` and `equity core20` through click's CliRunner; the SVG chart."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from placeplan.measures.cli import equity, spc
from placeplan.measures.spc import xmr
from placeplan.measures.spc_svg import BLUE, GREY, ORANGE, PURPLE, RED, render_svg


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


def test_equity_core20_reproduces_table_2() -> None:
    # Five-Year Plan Table 2 (seed 003), from the demo's llr.yaml counts
    result = CliRunner().invoke(equity, ["core20", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [p["name"] for p in body["places"]] == ["Leicester", "Leicestershire", "Rutland"]
    assert [p["core20_pct_of_patients"] for p in body["places"]] == [31.7, 3.2, 0.4]
    assert body["system"]["core20_pct_of_patients"] == 13.4
    assert [p["pct_of_system_core20"] for p in body["places"]] == [85.3, 14.6, 0.1]
    text = CliRunner().invoke(equity, ["core20"])
    assert text.exit_code == 0 and "31.7%" in text.stdout


def test_svg_is_accessible_deterministic_and_coloured() -> None:
    values = [10.0, 12.0] * 5 + [30.0] + [12.0, 10.0] * 3 + [-8.0, 10.0, 12.0]
    series = [(f"2024-{i:02d}", v) for i, v in enumerate(values, start=1)]
    chart = xmr(series, "lower", target=25)
    svg = render_svg(chart, "Emergency admissions <65+>")
    assert svg == render_svg(chart, "Emergency admissions <65+>")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "Emergency admissions &lt;65+&gt;" in svg
    title = root.find(f"{ns}title")
    assert title is not None and "SPC chart" in (title.text or "")
    for colour in (GREY, BLUE, ORANGE, RED):
        assert colour in svg
    assert PURPLE not in svg  # no neutral points in a directed measure
    kinds = {e.get("data-type"): e.tag for e in root.iter() if e.get("data-type")}
    assert kinds["common_cause"] == f"{ns}circle"
    assert kinds["special_cause_concern"] == f"{ns}polygon"  # shape, not colour alone
    assert kinds["special_cause_improvement"] == f"{ns}circle"
    rebased = ET.fromstring(render_svg(xmr(series, "lower", rebase=["2024-12"]), "Rebased"))
    assert len([e for e in rebased.iter() if e.get("class") == "mean"]) == 2  # two segments
    assert root.find(f".//{ns}line[@class='target']") is not None
    icons = [e.get("aria-label") for e in root.iter() if (e.get("class") or "").startswith("icon")]
    assert len(icons) == 2 and all(icons)
