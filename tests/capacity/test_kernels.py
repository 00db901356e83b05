"""The compiled joint kernel (capacity/domain/kernels/compiled) against numpy's JointKernel: the same
inputs give the same records, person by person, on the demo and on the networks the other
capacity tests use (blocking, a cycle with exits, capacity by month with a surge, closures while
people are blocked, more draws needed than first sampled, stays with ties, a deadlock)."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from placeplan.capacity.domain import kernels, parse_scenario, report, run
from placeplan.capacity.domain.arrivals import ArrivalStream
from placeplan.capacity.domain.engine import (
    _ARRIVALS,
    _rng,
    _run_joint,
    components,
    schedule_for,
)
from placeplan.capacity.domain.kernels import CompiledJointKernel, JointKernel
from placeplan.capacity.domain.kernels import single as single_kernel
from placeplan.capacity.domain.kernels.banks import PackedBank
from placeplan.capacity.domain.kernels.single import run_single
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.statistics import Accumulator
from placeplan.capacity.io.scenario import load_scenario
from placeplan.core.errors import InputError
from tests.capacity.conftest import NETWORK
from tests.capacity.test_engine_cycles import CYCLE


@pytest.fixture
def kernel_switch() -> Iterator[None]:
    """Kept so the tests' signatures are as they were: the kernel is now a parameter of the
    engine's functions (`kernel=`), not a module global a test sets, so there is nothing to put
    back."""
    yield


def _named(compiled: bool) -> str:
    return "compiled" if compiled else "numpy"


def _network_by_month() -> dict[str, Any]:
    # NETWORK (conftest) with capacity by month from April 2025: A has a surge in June and fewer
    # places in July; B drops from 7 to 4 places in June and July, so places close while people
    # routed from A are still waiting in them (A's blocked places are released into a month where
    # some are closed), and a start state at both
    doc = copy.deepcopy(NETWORK)
    doc["start"] = "2025-04"
    a, b = doc["services"]
    a["capacity"] = [8, 8, 8, 6, 8, 8, 8, 8, 8, 8, 8, 8]
    a["surge"] = {"months": ["2025-06"], "extra": 3}
    a["start_state"] = {"in_service": 6, "waiting": 2}
    a["length_of_stay"] = {"distribution": "gamma", "mean": 4, "sd": 2}
    b["capacity"] = [7, 7, 4, 4, 7, 7, 7, 7, 7, 7, 7, 7]
    b["start_state"] = {"in_service": 5}
    return doc


def _cycle_often_back() -> dict[str, Any]:
    # CYCLE with routes 0.8 (A to B) and 0.5 (B to A): each arrival at A comes back to A 0.4 times
    # on average, so A sees about 1 / (1 - 0.4) = 1.67 times its own arrivals, more than the rows of
    # draws first sampled for it (its own arrivals + 64, as nothing upstream of it is counted):
    # the compiled kernel must stop, draw more, and run the replication again
    doc = copy.deepcopy(CYCLE)
    doc["services"][0].update({"onward": {"B": 0.8}, "capacity": 40})
    doc["services"][1].update({"onward": {"A": 0.5}, "capacity": 40})
    return doc


def _network_empirical() -> dict[str, Any]:
    # whole-day stays (empirical and fixed): starts at the same moment are possible here (a place
    # freed at x + 7 where another was at x + 7 too), so ties between places are exercised
    doc = copy.deepcopy(NETWORK)
    doc["services"][0]["length_of_stay"] = {"distribution": "empirical", "days": [2, 3, 3, 5, 7]}
    doc["services"][1]["length_of_stay"] = {"distribution": "fixed", "mean": 5}
    return doc


DEMO = Path(__file__).resolve().parents[2] / "src/placeplan/demo/data/capacity_llr.yaml"

SCENARIOS = {
    "network": lambda: parse_scenario(copy.deepcopy(NETWORK)),
    "cycle": lambda: parse_scenario(copy.deepcopy(CYCLE)),
    "cycle often back": lambda: parse_scenario(_cycle_often_back()),
    "network by month with surge": lambda: parse_scenario(_network_by_month()),
    "network whole-day stays": lambda: parse_scenario(_network_empirical()),
    "LLR demo": lambda: load_scenario(DEMO),
}


def _joint_groups(scenario: Scenario) -> list[list[int]]:
    return [g for g in components(scenario) if len(g) > 1 or scenario.services[g[0]].onward]


def _kernel(scenario: Scenario, group: list[int], R: int, compiled: bool) -> Any:
    bounds = np.array([s.begin for s in scenario.timeline.reported] + [float(scenario.days)])
    accs = [Accumulator(R, bounds) for _ in scenario.services]
    return _run_joint(scenario, group, R, 13, 0, accs, lambda f: None, kernel=_named(compiled))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_same_records(name: str, kernel_switch: None) -> None:
    scenario = SCENARIOS[name]()
    groups = _joint_groups(scenario)
    assert groups, "the scenario has routed services"
    for group in groups:
        fast = _kernel(scenario, group, 150, compiled=True)
        slow = _kernel(scenario, group, 150, compiled=False)
        assert isinstance(fast, CompiledJointKernel)
        assert isinstance(slow, JointKernel)
        assert fast.cyclic == slow.cyclic
        for k in range(len(group)):
            a, b = fast.states[k], slow.states[k]
            np.testing.assert_array_equal(a.count, b.count)
            used = int(b.count.max())
            assert used > 0
            # equal to the last bit: the same floating-point operations in the same order
            for field in ("arrival", "start", "ready", "leave"):
                np.testing.assert_array_equal(getattr(a, field)[:used], getattr(b, field)[:used])
            if slow.nodes[k].upstream:  # who came from the service's own source
                np.testing.assert_array_equal(a.external[:used], b.external[:used])


def test_more_draws_were_needed_and_taken(kernel_switch: None) -> None:
    # "cycle often back" checks the re-run only if A's draws did run out: rows first sampled for
    # A are its arrivals' rows + 64 (engine.simulate._run_joint: nothing upstream of it is counted)
    scenario = parse_scenario(_cycle_often_back())
    stream = ArrivalStream(scenario, scenario.services[0], _rng(13, 0, 0, _ARRIVALS), 150)
    first_rows = int(stream.all().shape[0]) + 64
    fast = _kernel(scenario, _joint_groups(scenario)[0], 150, compiled=True)
    assert fast.states[0].count.max() > first_rows


@pytest.mark.parametrize("name", ["network by month with surge", "cycle", "LLR demo"])
def test_the_same_report(name: str, kernel_switch: None) -> None:
    scenario = SCENARIOS[name]()
    docs = []
    for compiled in (True, False):
        docs.append(
            json.dumps(
                report.as_dict(run(scenario, 120, seed=4, kernel=_named(compiled))),
                sort_keys=True,
            )
        )
    assert docs[0] == docs[1]


@pytest.mark.parametrize("replications", [20, 200])
def test_a_deadlock_is_found_by_both(kernel_switch: None, replications: int) -> None:
    # test_engine_cycles' deadlock: A and B route almost everyone to each other with one place
    # each, so the two people in them wait for each other's place (at 200 replications the
    # compiled kernel finds it in chunks running on two threads)
    doc = copy.deepcopy(CYCLE)
    doc["services"][0].update({"capacity": 1, "onward": {"B": 0.99}})
    doc["services"][1].update({"capacity": 1, "onward": {"A": 0.99}})
    scenario = parse_scenario(doc)
    messages = []
    for compiled in (True, False):
        with pytest.raises(InputError) as err:
            run(scenario, replications, seed=1, kernel=_named(compiled))
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "blocked round a cycle" in messages[0]


def test_the_engine_uses_the_compiled_kernel_where_it_is_built() -> None:
    assert kernels.COMPILED_AVAILABLE  # `make setup` builds it (test_accumulate says more)
    assert kernels.kernel_for(None) is kernels.COMPILED


def _report(scenario: Scenario, R: int, kernel: kernels.Kernel) -> str:
    doc = report.as_dict(run(scenario, R, seed=6, kernel=kernel))
    doc.pop("elapsed_seconds", None)
    return json.dumps(doc, sort_keys=True)


def test_threaded_chunks_give_the_serial_run() -> None:
    # 300 replications are 5 chunks of up to 64 (kernels.compiled.CHUNK), run two at a time; the
    # threaded run is made from a background thread, as the service's runner makes it
    scenario = load_scenario(DEMO)
    serial = _report(scenario, 300, kernels.CompiledKernel(threads=1))
    out: list[str] = []
    worker = threading.Thread(
        target=lambda: out.append(_report(scenario, 300, kernels.CompiledKernel(threads=2)))
    )
    worker.start()
    worker.join()
    assert out == [serial]


def test_threaded_chunks_draw_more_as_the_serial_run_does() -> None:
    # "cycle often back" runs out of A's first draws (test_more_draws_were_needed_and_taken):
    # chunks on two threads stop, draw more and run again, and the records are the serial run's
    scenario = parse_scenario(_cycle_often_back())
    group = _joint_groups(scenario)[0]
    bounds = np.array([s.begin for s in scenario.timeline.reported] + [float(scenario.days)])
    runs = []
    for threads in (1, 2):
        accs = [Accumulator(300, bounds) for _ in scenario.services]
        seen: list[float] = []
        runs.append(
            _run_joint(
                scenario, group, 300, 13, 0, accs, seen.append, kernels.CompiledKernel(threads)
            )
        )
        # progress between chunks, rising to the whole
        assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 5
    serial, threaded = runs
    for k in range(len(group)):
        a, b = threaded.states[k], serial.states[k]
        np.testing.assert_array_equal(a.count, b.count)
        used = int(b.count.max())  # the rows below hold records (and padding), the rest nothing
        assert a.arrival.shape == b.arrival.shape  # the same draws: the same rows
        for field in ("arrival", "start", "ready", "leave", "external"):
            np.testing.assert_array_equal(getattr(a, field)[:used], getattr(b, field)[:used])


@pytest.mark.parametrize("service", ["P1", "P3", "STEPUP"])
def test_the_compiled_single_queue_gives_numpys_starts(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fast path's compiled loop (kernels.compiled.single) against its numpy loop, block after
    # block on the demo's services whose capacity never changes (P3 alone has a start state);
    # compiled at any number of places here (the engine only from HEAP_PLACES, where it is faster),
    # on one thread and with its replications split between two
    monkeypatch.setattr(single_kernel, "HEAP_PLACES", 1)
    scenario = load_scenario(DEMO)
    s = scenario.services[scenario.index(service)]
    results = []
    for compiled, split in ((True, False), (True, True), (False, False)):
        bank = PackedBank(200, schedule_for(scenario, s))
        assert not bank.has_events
        rng = np.random.default_rng(3)
        bank.occupy(min(bank.c, 10), 5.0 + rng.random((min(bank.c, 10), 200)))
        starts, arrivals = [], []
        for block in range(3):  # 10 a day for stays of 60 days on average: people wait
            a = np.sort(rng.random((400, 200)) * 40.0 + block * 40.0, axis=0) - 60.0
            st = np.empty_like(a)
            run_single(bank, a, rng.gamma(2.0, 30.0, a.shape), st, compiled=compiled, split=split)
            starts.append(st)
            arrivals.append(a)
        results.append((np.concatenate(starts), bank.K.copy()))
    (fast, keys_fast), (halves, keys_halves), (slow, keys_slow) = results
    assert (fast > np.concatenate(arrivals)).mean() > 0.5
    np.testing.assert_array_equal(fast, slow)
    np.testing.assert_array_equal(keys_fast, keys_slow)
    np.testing.assert_array_equal(halves, slow)
    np.testing.assert_array_equal(keys_halves, keys_slow)


def test_the_compiled_interval_sums_are_numpys() -> None:
    # Accumulator._interval compiled (kernels.compiled.intervals) and in numpy, on the demo's month
    # boundaries, with intervals before, across and after them (some reaching past the end)
    scenario = load_scenario(DEMO)
    bounds = np.array([s.begin for s in scenario.timeline.reported] + [float(scenario.days)])
    sums = []
    for compiled in (True, False):
        rng = np.random.default_rng(5)  # the same intervals for both
        acc = Accumulator(50, bounds)
        acc.compiled = compiled
        for _ in range(3):
            x = rng.uniform(-60.0, 400.0, 5000)
            y = x + rng.gamma(1.0, 20.0, 5000)
            acc._interval("acute", x, y, rng.integers(0, 50, 5000))
        sums.append(acc.interval("acute"))
    assert (sums[0] > 0).all()
    np.testing.assert_array_equal(sums[0], sums[1])


def test_the_compiled_interpolation_is_numpys() -> None:
    # arrivals through the inverse cumulative rate (kernels.compiled.interp) against numpy.interp
    # on the demo's P1 knots (a knot a day under growth), with values landing exactly on knots,
    # a flat stretch of the cumulative rate (a month without demand: repeated knots), values at
    # 0, and values past the total, which become padding
    from placeplan.capacity.domain.arrivals import intensity
    from placeplan.capacity.domain.kernels.base import PAD
    from placeplan.capacity.domain.kernels.compiled.built import interp

    scenario = load_scenario(DEMO)
    times, cum = intensity(scenario, scenario.services[scenario.index("P1")])
    flat_times = np.array([-60.0, 0.0, 30.0, 61.0, 91.0, 120.0])
    flat_cum = np.array([0.0, 600.0, 600.0, 600.0, 1300.0, 1900.0])  # no demand in May and June
    rng = np.random.default_rng(11)
    for xp, fp in ((cum, times), (flat_cum, flat_times)):
        total = float(xp[-1])
        x = np.sort(rng.uniform(0.0, total * 1.05, (700, 40)), axis=0)
        x[::50] = xp[rng.integers(0, len(xp), (14, 40))]  # exactly on knots
        x.sort(axis=0)
        x[0] = 0.0
        out = np.empty_like(x)
        interp.interp_columns(x, xp, fp, total, PAD, out)
        expected = np.interp(x, xp, fp)
        expected[x >= total] = PAD
        assert (x >= total).any() and (out == PAD).any()
        np.testing.assert_array_equal(out, expected)


def test_one_thread_gives_the_run_of_two() -> None:
    # the demo's P1 simulated alone (288 places: the compiled heap, its replications in two
    # halves on two threads) and the whole demo (groups side by side, the joint kernel's chunks
    # two at a time) give the same report on one thread, as a Ray task runs them
    scenario = load_scenario(DEMO)
    for focus in ("P1", None):
        docs = []
        for threads in (None, 1):
            doc = report.as_dict(run(scenario, 130, seed=8, focus=focus, threads=threads))
            doc.pop("elapsed_seconds", None)
            docs.append(json.dumps(doc, sort_keys=True))
        assert docs[0] == docs[1]
