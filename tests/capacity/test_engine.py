"""The simulation engine: reproducible, exact against an independent simulation, and plain about
queues that grow without bound."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from placeplan.capacity.domain import parse_scenario, report, run
from placeplan.capacity.domain.engine import _run_joint, _run_single
from placeplan.capacity.domain.statistics import Accumulator
from placeplan.capacity.io.scenario import load_scenario


def _reference() -> Any:
    path = Path(__file__).with_name("simpy_reference.py")
    spec = importlib.util.spec_from_file_location("capacity_simpy_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_same_seed_same_numbers(network: dict[str, Any]) -> None:
    scenario = parse_scenario(network)
    a = json.dumps(report.as_dict(run(scenario, 200, seed=7)), sort_keys=True)
    b = json.dumps(report.as_dict(run(scenario, 200, seed=7)), sort_keys=True)
    c = json.dumps(report.as_dict(run(scenario, 200, seed=8)), sort_keys=True)
    assert a == b
    assert a != c


def test_batches_depend_only_on_seed_and_count(smallest: dict[str, Any]) -> None:
    smallest["days"] = 30
    scenario = parse_scenario(smallest)
    a = run(scenario, 1200, seed=3).services["P2"].period["mean_wait_days"]
    b = run(scenario, 1200, seed=3).services["P2"].period["mean_wait_days"]
    assert len(a) == 1200
    np.testing.assert_array_equal(a, b)


def test_joint_kernel_equals_fast_kernel_on_one_service() -> None:
    # the same service through both kernels, with monthly capacity, a surge month, growth, a
    # start state and a gamma stay: identical starts, so identical waits (to rounding)
    scenario = parse_scenario(
        {
            "name": "x",
            "days": 200,
            "warm_up_days": 30,
            "start": "2025-04",
            "services": [
                {
                    "id": "A",
                    "kind": "beds",
                    "arrivals_per_day": [5, 5, 6, 6, 7, 7, 6, 6, 5, 5, 5, 5],
                    "growth": 0.2,
                    "length_of_stay": {"distribution": "gamma", "mean": 4, "sd": 2},
                    "capacity": [20, 22, 24, 18, 30, 25, 25, 25, 25, 25, 25, 25],
                    "surge": {"months": ["2025-06"], "extra": 3},
                    "start_state": {"in_service": 10, "waiting": 3},
                }
            ],
        }
    )
    bounds = np.array([s.begin for s in scenario.timeline.reported] + [200.0])
    fast = Accumulator(300, bounds)
    _run_single(scenario, 0, 300, 7, 0, fast, lambda f: None)
    joint = [Accumulator(300, bounds)]
    _run_joint(scenario, [0], 300, 7, 0, joint, lambda f: None)
    for key in ("wait.sum", "waited", "over2"):
        np.testing.assert_allclose(fast.sums[key], joint[0].sums[key], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(fast.integral("s", "e"), joint[0].integral("s", "l"), rtol=1e-9)
    np.testing.assert_allclose(fast.integral("a", "s"), joint[0].integral("a", "s"), rtol=1e-9)


def test_agrees_with_simpy_on_a_network_with_blocking(network: dict[str, Any]) -> None:
    # an independent simpy model (tests/capacity/simpy_reference.py) of the same network:
    # each measure's difference must be within 3 standard errors of the difference
    ref = _reference()
    services = [
        ref.RefService("A", 1.6, 4.0, 8, (("B", 0.4),)),
        ref.RefService("B", 0.6, 5.0, 7),
    ]
    sims = [ref.simulate(services, 150, 30, seed) for seed in range(1000, 1400)]
    result = run(parse_scenario(network), 1000, seed=11)
    per_day = 365.0 / 12.0
    checked = 0
    for sid in ("A", "B"):
        for ref_key, key, scale in (
            ("mean_wait_days", "mean_wait_days", 1.0),
            ("p_wait", "p_wait", 1.0),
            ("mean_occupancy", "mean_occupancy", 1.0),
            ("blocked_days_per_day", "blocked_days_per_month", 1.0 / per_day),
        ):
            theirs = np.array([s[sid][ref_key] for s in sims])
            ours = result.services[sid].period[key] * scale
            se = np.sqrt(theirs.var(ddof=1) / len(theirs) + ours.var(ddof=1) / len(ours))
            if se == 0:
                assert theirs.mean() == ours.mean() == 0
                continue
            z = (ours.mean() - theirs.mean()) / se
            assert abs(z) < 3, (sid, key, ours.mean(), theirs.mean(), z)
            checked += 1
    # blocking happened: people finished at A waited there for a place in B
    assert result.services["A"].period["blocked_days_per_month"].mean() > 10
    assert checked == 7
    # everyone waiting for A comes from hospital, so its delayed bed days are its queue's days;
    # B's delayed bed days count only its own arrivals, not those blocked in A
    a, b = result.services["A"].period, result.services["B"].period
    np.testing.assert_allclose(a["delayed_bed_days_per_month"], a["mean_queue"] * per_day)
    assert 0 < b["delayed_bed_days_per_month"].mean() < b["mean_queue"].mean() * per_day


def test_unbounded_queue_is_flagged_not_averaged(smallest: dict[str, Any]) -> None:
    # 20 a day x 4 days = 80 places needed, 70 available in every month
    smallest["services"][0]["capacity"] = 70
    smallest["days"] = 120
    result = run(parse_scenario(smallest), 100, seed=1)
    doc = report.as_dict(result)
    p2 = doc["services"]["P2"]
    assert p2["unbounded"] is True
    assert "without bound" in p2["message"]
    assert p2["mean_wait_days"] is None and p2["mean_queue"] is None
    assert doc["unbounded"] == ["P2"]
    queues = [row["queue"]["value"] for row in p2["monthly"]]
    # the queue grows month on month (by about 10 places' worth of arrivals a day / 4-day stays)
    assert queues == sorted(queues) and queues[-1] > 2 * queues[0]
    # a model that keeps up is not flagged
    smallest["services"][0]["capacity"] = 90
    assert report.as_dict(run(parse_scenario(smallest), 50, seed=1))["unbounded"] == []


def test_interim_and_step_up_waits_are_counted_apart(smallest: dict[str, Any]) -> None:
    base = smallest["services"][0]
    base["capacity"] = 82  # busy: most people wait a little
    smallest["days"] = 90
    interim = copy.deepcopy(base) | {"id": "INT", "when_full": {"interim": "tcp"}}
    step_up = copy.deepcopy(base) | {"id": "UP", "source": "step_up"}
    smallest["services"] = [base, interim, step_up]
    smallest["interim"] = {"tcp": {"cost_per_day": 100}}
    smallest["acute_bed_day_cost"] = 400
    result = run(parse_scenario(smallest), 100, seed=2)
    p = {sid: result.services[sid].period for sid in ("P2", "INT", "UP")}
    # same streams' shape, different policies: acute delays only for P2
    assert p["P2"]["delayed_bed_days_per_month"].mean() > 0
    assert p["P2"]["delayed_bed_day_cost"].mean() == pytest.approx(
        400 * p["P2"]["delayed_bed_days_per_month"].mean() * 90 / (365 / 12)
    )
    assert p["INT"]["delayed_bed_days_per_month"].mean() == 0
    assert p["INT"]["interim_placements_per_month"].mean() > 0
    assert p["INT"]["interim_cost"].mean() > 0
    assert p["UP"]["delayed_bed_days_per_month"].mean() == 0
    assert p["UP"]["home_wait_days_per_month"].mean() > 0
    # the discharge metric counts P2's delays, not the interim service's
    share = result.discharge_period["share_on_drd"]
    assert 0 < share.mean() < 1


def test_surge_and_monthly_capacity_are_reported(demo_path: Path) -> None:
    result = run(load_scenario(demo_path), 50, seed=1)
    doc = report.as_dict(result)
    p2 = doc["services"]["P2"]
    caps = {row["month"]: row["capacity"] for row in p2["monthly"]}
    # 64 beds [seeds 000, 002] plus 20 surge beds December to February [seed 000]
    assert caps["2025-11"] == 64 and caps["2025-12"] == 84 and caps["2026-02"] == 84
    assert caps["2026-03"] == 64
    # P1 is given in visit slots: 720 slots / 2.5 visits a package = 288 packages
    assert doc["services"]["P1"]["capacity_by_month"] == [288] * 12
    assert doc["months"][0] == "2025-04" and len(doc["months"]) == 12
    dm = doc["discharge_metric"]
    assert 0.9 < dm["share_on_drd"]["value"] <= 1.0
    assert dm["mean_delay_days_of_delayed"]["value"] >= 1.0


def test_nobody_waits_when_places_are_ample(smallest: dict[str, Any]) -> None:
    # 20 a day x 4 days = 80 places needed against 200: P(wait) is ~1e-30 (Erlang C), so exactly
    # nobody should be counted as waiting (no rounding artefacts in start - arrival)
    smallest["services"][0]["capacity"] = 200
    smallest["days"] = 60
    period = run(parse_scenario(smallest), 200, seed=1).services["P2"].period
    assert period["p_wait"].max() == 0.0
    assert period["mean_wait_days"].max() == 0.0


def test_fractions_of_a_day_matter(smallest: dict[str, Any]) -> None:
    # a fixed stay of 0.3 days and 4 places for 10 a day (M/D/4, load 3): waits are a fraction
    # of a day, about half of M/M/4's 0.153 days, which a daily step could not resolve
    smallest["services"][0].update(
        arrivals_per_day=10, length_of_stay={"distribution": "fixed", "mean": 0.3}, capacity=4
    )
    smallest["days"] = 60
    wait = run(parse_scenario(smallest), 200, seed=1).services["P2"].period["mean_wait_days"]
    assert 0.04 < wait.mean() < 0.12
