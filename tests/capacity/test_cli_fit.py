"""`placeplan capacity fit` and `placeplan capacity trial`: what they print, and their refusals."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from click.testing import CliRunner

from placeplan.capacity.cli import capacity

# 100 seeded gamma stays (shape 2, scale 10: a mean of about 20 days)
STAYS = np.round(np.random.default_rng(5).gamma(2.0, 10.0, 100), 3)


def _stays(tmp_path: Path, rows: list[str]) -> str:
    path = tmp_path / "stays.csv"
    path.write_text("\n".join(["Length of stay (days)", *rows]) + "\n")
    return str(path)


def test_fit_prints_both_fits_and_writes_the_table(tmp_path: Path) -> None:
    path = _stays(tmp_path, [f"{v:g}" for v in STAYS])
    table = tmp_path / "cdf.csv"
    res = CliRunner().invoke(capacity, ["fit", path, "--format", "json", "--table", str(table)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["observations"] == 100
    logs = [math.log(float(f"{v:g}")) for v in STAYS]
    lognormal = doc["fits"]["lognormal"]["parameters"]
    assert abs(lognormal["mu"] - statistics.fmean(logs)) < 1e-12
    assert abs(lognormal["sigma"] - statistics.pstdev(logs)) < 1e-12
    # a gamma fit keeps the sample mean (its likelihood equation for the scale)
    assert (
        abs(doc["fits"]["gamma"]["mean"] - statistics.fmean(float(f"{v:g}") for v in STAYS)) < 1e-9
    )
    assert (
        table.read_text().splitlines()[0] == "days,observed_share_at_most,lognormal_cdf,gamma_cdf"
    )
    text = CliRunner().invoke(capacity, ["fit", path])
    assert text.exit_code == 0 and "Lower AIC" in text.output and "Gamma" in text.output


def test_fit_refuses_a_bad_row_naming_it(tmp_path: Path) -> None:
    rows = [f"{v:g}" for v in STAYS]
    rows[40] = "n/a"
    res = CliRunner().invoke(capacity, ["fit", _stays(tmp_path, rows), "--format", "json"])
    assert res.exit_code == 2
    error = json.loads(res.stderr)["error"]
    assert error["row"] == 42 and "'n/a'" in error["message"]  # the header is row 1


def test_trial_suggests_a_warm_up_and_a_time(tmp_path: Path, smallest: dict[str, Any]) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(smallest))
    res = CliRunner().invoke(
        capacity, ["trial", str(path), "--replications", "500", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["suggested_warm_up_days"] is not None and doc["full_replications"] == 500
    assert doc["services"]["P2"]["trusted"] is True
    text = CliRunner().invoke(capacity, ["trial", str(path)])
    assert text.exit_code == 0 and "Suggested warm-up" in text.output
    assert "A full run of 1,000 replications" in text.output
