"""Onward routes that form cycles: allowed when every service on them can reach an exit, checked
against the independent simpy model; closed cycles refused naming the services; deadlocks said."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from placeplan.capacity.domain import parse_scenario, run
from placeplan.capacity.domain.engine import components, offered_load, topological
from placeplan.core.errors import InputError
from tests.capacity.test_engine import _reference

# A routes 40% onward to B; B routes 25% back to A: a cycle, with exits from both
CYCLE: dict[str, Any] = {
    "name": "a cycle with exits",
    "days": 150,
    "warm_up_days": 30,
    "services": [
        {
            "id": "A",
            "kind": "beds",
            "arrivals_per_day": 1.2,
            "length_of_stay": {"distribution": "exponential", "mean": 4},
            "capacity": 11,
            "onward": {"B": 0.4},
        },
        {
            "id": "B",
            "kind": "beds",
            "arrivals_per_day": 0.5,
            "length_of_stay": {"distribution": "exponential", "mean": 5},
            "capacity": 10,
            "onward": {"A": 0.25},
        },
    ],
}


def _with(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(CYCLE)
    for sid, values in changes.items():
        service = next(s for s in doc["services"] if s["id"] == sid)
        service.update(values)
    return doc


def test_a_cycle_with_exits_is_accepted_and_ordered() -> None:
    scenario = parse_scenario(CYCLE)
    assert components(scenario) == [[0, 1]]
    assert topological(scenario) == [0, 1]


def test_offered_load_solves_the_routing() -> None:
    # by hand: rate_A = 1.2 + 0.25 rate_B, rate_B = 0.5 + 0.4 rate_A
    # => rate_A = (1.2 + 0.125) / (1 - 0.1) = 1.47222, rate_B = 0.5 + 0.58889 = 1.08889;
    # places needed: x 4 and x 5 days
    load = offered_load(parse_scenario(CYCLE))
    assert load["A"][0] == pytest.approx(1.325 / 0.9 * 4)
    assert load["B"][0] == pytest.approx((0.5 + 0.4 * 1.325 / 0.9) * 5)


def test_a_closed_cycle_is_refused_naming_its_services() -> None:
    doc = _with(A={"onward": {"B": 1.0}}, B={"onward": {"A": 1.0}})
    with pytest.raises(InputError) as err:
        parse_scenario(doc)
    assert err.value.field == "services[0].onward"
    assert "cycle with no exit" in err.value.message
    assert "services A, B route everyone onward among themselves" in err.value.message


def test_a_closed_cycle_downstream_of_an_open_service_is_refused() -> None:
    # A has an exit, but people it sends to B go round B <-> C for ever
    doc = copy.deepcopy(CYCLE)
    doc["services"][1]["onward"] = {"C": 1.0}
    doc["services"].append(
        {
            "id": "C",
            "kind": "beds",
            "arrivals_per_day": 0,
            "length_of_stay": {"distribution": "exponential", "mean": 3},
            "capacity": 5,
            "onward": {"B": 1.0},
        }
    )
    with pytest.raises(InputError) as err:
        parse_scenario(doc)
    assert err.value.field == "services[1].onward"
    assert "services B, C route everyone onward" in err.value.message


def test_a_cycle_agrees_with_simpy() -> None:
    # the independent simpy model (tests/capacity/simpy_reference.py) of the same cycle: each
    # measure's difference within 3 standard errors of the difference
    ref = _reference()
    services = [
        ref.RefService("A", 1.2, 4.0, 11, (("B", 0.4),)),
        ref.RefService("B", 0.5, 5.0, 10, (("A", 0.25),)),
    ]
    sims = [ref.simulate(services, 150, 30, seed) for seed in range(2000, 2400)]
    result = run(parse_scenario(CYCLE), 1000, seed=5)
    per_day = 365.0 / 12.0
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
            z = (ours.mean() - theirs.mean()) / se
            assert abs(z) < 3, (sid, key, ours.mean(), theirs.mean(), z)
    # people went round: A's arrivals exceed its own 1.2 a day (routed back from B), and some
    # finished at A waited there for a place at B
    a = result.services["A"].period
    assert a["demand_per_month"].mean() > 1.2 * per_day * 1.05
    assert a["blocked_days_per_month"].mean() > 0


def test_a_cycle_runs_the_same_from_the_same_seed() -> None:
    scenario = parse_scenario(CYCLE)
    first = run(scenario, 50, seed=9).services["B"].period["mean_wait_days"]
    second = run(scenario, 50, seed=9).services["B"].period["mean_wait_days"]
    np.testing.assert_array_equal(first, second)


def test_a_cycle_that_deadlocks_says_so() -> None:
    # 8 and 7 places for 5.9 and 5.4 needed (offered loads, as above): in some replications
    # every place at A holds someone waiting for B and every place at B someone waiting for A,
    # and nobody can move again (the simpy model of the same network deadlocks likewise)
    doc = _with(A={"capacity": 8}, B={"capacity": 7})
    with pytest.raises(InputError) as err:
        run(parse_scenario(doc), 1000, seed=11)
    assert err.value.field == "services"
    assert err.value.message.startswith("A and B: people blocked round a cycle")
