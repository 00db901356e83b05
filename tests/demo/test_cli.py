"""`equity core20` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from placeplan.demo.cli import equity


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
