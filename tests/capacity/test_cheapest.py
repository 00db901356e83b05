"""The cheapest capacity (issue 13, item 3): least total cost of places, acute delays and interim
care, for one service or linked services together."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from placeplan.capacity.domain import parse_scenario
from placeplan.capacity.domain.cheapest import cheapest
from placeplan.core.errors import InputError


def _costed(network: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(network)
    doc["acute_bed_day_cost"] = 400
    for s in doc["services"]:
        s["cost_per_day"] = 100
    return doc


def test_one_service_costs_places_against_delays(smallest: dict[str, Any]) -> None:
    doc = copy.deepcopy(smallest)
    doc["acute_bed_day_cost"] = 400
    doc["services"][0]["cost_per_day"] = 100
    result = cheapest(parse_scenario(doc), ["P2"], replications=40, seed=1)
    out = result.as_dict()
    for p in out["points"]:
        # every place costs 100 a day for the 365 days, used or not
        assert p["capacity_cost"] == pytest.approx(p["capacity"][0] * 365 * 100)
    totals = [p["total_cost"]["value"] for p in out["points"]]
    best = out["points"][int(np.argmin(totals))]
    assert out["optimum"]["capacity"] == best["capacity"]
    # the least cost is inside the range tried, not at its edge: both cheap places with long
    # delays and ample places cost more
    assert totals[0] > min(totals) < totals[-1]
    low, high = out["optimum"]["interval"][0]["low"], out["optimum"]["interval"][0]["high"]
    assert low <= out["optimum"]["capacity"][0] <= high
    assert len(out["by_month"]) == 12


def test_linked_services_are_sized_together(network: dict[str, Any]) -> None:
    result = cheapest(parse_scenario(_costed(network)), ["A", "B"], replications=20, seed=1)
    grid = {tuple(p["capacity"]) for p in result.as_dict()["points"]}
    # a grid over both services' capacities
    assert len({a for a, _ in grid}) > 1 and len({b for _, b in grid}) > 1


def test_unlinked_services_are_refused(demo_path) -> None:
    from placeplan.capacity.io.scenario import load_scenario

    with pytest.raises(InputError):
        cheapest(load_scenario(demo_path), ["P1", "P2"], replications=2)


def test_the_size_command_takes_cheapest(tmp_path, smallest: dict[str, Any]) -> None:
    from placeplan.capacity.cli import capacity

    doc = copy.deepcopy(smallest)
    doc["acute_bed_day_cost"] = 400
    doc["services"][0]["cost_per_day"] = 100
    path = tmp_path / "one.yaml"
    path.write_text(json.dumps(doc))
    out = CliRunner().invoke(
        capacity,
        ["size", str(path), "--service", "P2", "--cheapest", "-n", "20", "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["optimum"]["capacity"]
    both = CliRunner().invoke(capacity, ["size", str(path), "--service", "P2"])
    assert both.exit_code == 2
