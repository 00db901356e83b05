"""The `capacity` command group: exit codes and JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from placeplan.capacity.cli import capacity
from tests.capacity.test_sizing import _small

STAT_KEYS = {"value", "low", "high", "p2_5", "p97_5"}


def _write(tmp_path: Path, doc: dict[str, Any]) -> str:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(doc))
    return str(path)


def test_cli_run_json_shape(tmp_path: Path, network: dict[str, Any]) -> None:
    path = _write(tmp_path, network)
    res = CliRunner().invoke(
        capacity, ["run", path, "--replications", "50", "--seed", "3", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["replications"] == 50 and doc["seed"] == 3
    assert set(doc["services"]) == {"A", "B"}
    a = doc["services"]["A"]
    for key in (
        "mean_wait_days",
        "p_wait",
        "mean_queue",
        "utilisation",
        "delayed_bed_days_per_month",
    ):
        assert set(a[key]) == STAT_KEYS
    month = a["monthly"][0]
    for key in ("demand", "admissions", "occupancy", "queue"):
        assert set(month[key]) == STAT_KEYS
    assert month["month"] == "M01"
    assert set(doc["discharge_metric"]) >= {"share_on_drd", "mean_delay_days_of_delayed"}


def test_cli_run_text(tmp_path: Path, network: dict[str, Any]) -> None:
    res = CliRunner().invoke(capacity, ["run", _write(tmp_path, network), "-n", "20"])
    assert res.exit_code == 0
    assert "mean wait" in res.stdout and "Discharge delay metric" in res.stdout


def test_cli_bad_input_exit_2_with_json_error(tmp_path: Path, network: dict[str, Any]) -> None:
    network["services"][0]["onward"] = {"B": 1.4}
    path = _write(tmp_path, network)
    res = CliRunner().invoke(capacity, ["run", path, "--format", "json"])
    assert res.exit_code == 2
    err = json.loads(res.stderr)["error"]
    assert err["field"] == "services[0].onward.B" and err["file"] == path
    assert res.stdout == ""


def test_cli_bad_input_text(tmp_path: Path) -> None:
    res = CliRunner().invoke(capacity, ["run", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2
    assert "missing.yaml" in res.stderr


def test_cli_other_failure_exit_1(
    tmp_path: Path, network: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("placeplan.capacity.domain.engine.run", boom)  # the command imports it
    res = CliRunner().invoke(capacity, ["run", _write(tmp_path, network), "--format", "json"])
    assert res.exit_code == 1
    assert "disk on fire" in json.loads(res.stderr)["error"]["message"]


def test_cli_size_json(tmp_path: Path, smallest: dict[str, Any]) -> None:
    path = _write(tmp_path, _small(smallest))
    res = CliRunner().invoke(
        capacity,
        [
            "size",
            path,
            "--service",
            "P2",
            "--target",
            "mean_wait_days<=0.5",
            "-n",
            "50",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["service"] == "P2" and doc["met"] is True
    assert doc["capacity_needed"] == doc["capacity_now"] + doc["gap"]
    assert set(doc["value_at_needed"]) == STAT_KEYS


def test_cli_size_bad_target_exit_2(tmp_path: Path, smallest: dict[str, Any]) -> None:
    path = _write(tmp_path, smallest)
    res = CliRunner().invoke(
        capacity, ["size", path, "--service", "P2", "--target", "wait<0.5", "--format", "json"]
    )
    assert res.exit_code == 2
    assert json.loads(res.stderr)["error"]["field"] == "target"


def test_cli_erlang_json() -> None:
    res = CliRunner().invoke(
        capacity,
        ["erlang", "--arrivals", "20", "--mean-stay", "4", "--servers", "90", "--format", "json"],
    )
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    # REFERENCE.md: Wq = 0.0781 days, P(wait) = 0.195
    assert round(doc["mean_wait_days"], 4) == 0.0781 and round(doc["p_wait"], 3) == 0.195
    assert doc["utilisation"] == pytest.approx(80 / 90)


def test_cli_erlang_bad_input_exit_2() -> None:
    res = CliRunner().invoke(
        capacity,
        ["erlang", "--arrivals", "20", "--mean-stay", "-4", "--servers", "90", "--format", "json"],
    )
    assert res.exit_code == 2
    assert json.loads(res.stderr)["error"]["field"] == "mean_stay"
