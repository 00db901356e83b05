"""A trial run: a few replications that suggest the warm-up and say how long a full run will take.

Warm-up: the MSER-5 rule (K. P. White Jr., "An effective truncation heuristic for bias reduction
in simulation output", Simulation 69(6), 1997; K. P. White Jr., M. J. Cobb and S. C. Spratt,
"A comparison of five steady-state truncation heuristics for simulation", Proceedings of the
Winter Simulation Conference 2000; recommended by K. Hoad, S. Robinson and R. Davies,
"Automating warm-up length estimation", JORS 61, 2010). The series is each service's daily
number of people in it or waiting for it, averaged over the trial's replications, from the first
simulated day (the start of the model's warm-up), with the model held at its first month's
demand and capacity all the way (no growth, no surge): the warm-up is the time the model takes to
forget how it starts (empty, or its given start state), and a model whose demand changes month
by month has no steady state for the rule to find otherwise. It is cut into batches of 5 days; the
truncation d (in batches) minimises MSER(d) = sum over j > d of (Z_j - mean of Z_j, j > d)^2
divided by (k - d)^2 over the k batch means Z_j, searched over the first half of the series only:
with few batches left the statistic is unstable and often falls at the very end (White, Cobb and
Spratt; Hoad et al.), and a minimum at the half-way point says the run is too short to show where
the start-up ends. A service whose queue grows without bound (the engine's own test, on the model
as it is) has no steady state: it is named, and left out of the suggestion.

Time: the model as it is is run at n and 2n replications (n = 25), timed; the difference gives the time a replication
takes, the rest the fixed cost of a run, and a full run of N is estimated as fixed + N x each.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.engine import run
from placeplan.capacity.domain.engine.graph import components
from placeplan.capacity.domain.engine.simulate import _run_group
from placeplan.capacity.domain.kernels import kernel_for
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.statistics import Accumulator

FloatArray = NDArray[np.float64]
T = TypeVar("T")

BATCH_SIZE = 5
TRIAL_REPLICATIONS = 20
# timed at 25 and 50 replications: fewer, and a loaded machine's noise swamps the difference
TIMED_REPLICATIONS = 25
# the series runs three years (or the model's span, if longer): with less, the noise of a few
# replications is read as the end of the start-up (the rule's answer wanders from seed to seed)
TRIAL_DAYS = 3 * 365


@dataclass(frozen=True)
class Truncation:
    """MSER-5's answer for one series: the observations to drop, and whether it is trusted."""

    observations: int  # a multiple of BATCH_SIZE
    batches: int  # k, the batch means the rule saw
    trusted: bool  # the minimum lies before the half-way point, not at it


def mser5(series: FloatArray | list[float]) -> Truncation:
    """MSER-5 over `series` (one value a day): the truncation point in observations."""
    x = np.asarray(series, dtype=np.float64)
    k = len(x) // BATCH_SIZE
    return mser_of_batches(x[: k * BATCH_SIZE].reshape(k, BATCH_SIZE).mean(axis=1))


def mser_of_batches(z: FloatArray) -> Truncation:
    """MSER over the batch means `z` (of BATCH_SIZE observations each)."""
    k = len(z)
    if k < 4:
        return Truncation(0, k, False)
    best_d, best = 0, math.inf
    half = k // 2
    for d in range(half + 1):
        tail = z[d:]
        mser = float(((tail - tail.mean()) ** 2).sum()) / (k - d) ** 2
        if mser < best:  # the first minimum
            best_d, best = d, mser
    return Truncation(best_d * BATCH_SIZE, k, best_d < half)


def held_steady(scenario: Scenario) -> Scenario:
    """The scenario with every month's demand and capacity those of its first month."""
    services = tuple(
        replace(
            s,
            arrivals_per_day=(s.arrivals_per_day[0],) * len(s.arrivals_per_day),
            capacity=(s.capacity[0],) * len(s.capacity),
            growth=0.0,
            surge_months=(),
            surge_extra=0,
        )
        for s in scenario.services
    )
    acute = scenario.acute_discharges_per_day
    steady = (acute[0],) * len(acute) if acute else acute
    return replace(scenario, services=services, acute_discharges_per_day=steady)


def in_system(
    scenario: Scenario, replications: int, seed: int, width: int = 1
) -> dict[str, FloatArray]:
    """Each service's people in it or waiting for it, on average over each whole `width` days
    from the first simulated day and over `replications` (the engine's own simulation, measured
    so; a part of `width` days left at the end is not measured)."""
    tl = scenario.timeline
    days = int((scenario.days - tl.t0) // width) * width
    bounds = tl.t0 + np.arange(0, days + 1, width, dtype=np.float64)
    accs = [Accumulator(replications, bounds) for _ in scenario.services]
    joint = kernel_for(None)
    for group in components(scenario):
        _run_group(scenario, group, replications, seed, 0, accs, lambda _: None, joint)
    out = {}
    for service, acc in zip(scenario.services, accs, strict=True):
        served = acc.integral("s", "l" if acc.has("l") else "e") + np.diff(acc.occ_extra, axis=1)
        waiting = acc.integral("a", "s")
        out[service.id] = (served + waiting).mean(axis=0) / width
    return out


@dataclass(frozen=True)
class Trial:
    """What a trial run found: a warm-up suggestion and the time a full run will take."""

    replications: int
    seed: int
    warm_up_days: float  # the model's
    suggested_warm_up_days: int | None  # None when the rule is not trusted for some service
    by_service: dict[str, Truncation]
    untrusted: list[str]  # services whose start-up does not end within the first half of the run
    unbounded: list[str]  # services whose queue grows without bound: no steady state
    fixed_seconds: float
    seconds_per_replication: float

    def estimate_seconds(self, replications: int) -> float:
        return self.fixed_seconds + self.seconds_per_replication * replications


def timing(clock: Callable[[], float], make: Callable[[int], T], n: int) -> tuple[float, float, T]:
    """(fixed, per replication) seconds from runs of n and 2n replications, and the last run."""
    began = clock()
    make(n)
    first = clock() - began
    began = clock()
    made = make(2 * n)
    second = clock() - began
    each = (second - first) / n
    if each <= 0:  # a loaded machine can make the larger run the quicker: no fixed part then
        return 0.0, second / (2 * n), made
    return max(0.0, first - each * n), each, made


def trial_run(scenario: Scenario, replications: int = TRIAL_REPLICATIONS, seed: int = 1) -> Trial:
    steady = replace(held_steady(scenario), days=max(scenario.days, TRIAL_DAYS))
    batches = in_system(steady, replications, seed, BATCH_SIZE)
    by_service = {sid: mser_of_batches(values) for sid, values in batches.items()}
    fixed, each, made = timing(
        time.perf_counter, lambda n: run(scenario, replications=n, seed=seed), TIMED_REPLICATIONS
    )
    unbounded = [sid for sid, r in made.services.items() if r.unbounded]
    bounded = {sid: t for sid, t in by_service.items() if sid not in unbounded}
    untrusted = [sid for sid, t in bounded.items() if not t.trusted]
    found = [t.observations for t in bounded.values() if t.trusted]
    suggested = max(found) if found and not untrusted else None
    return Trial(
        replications,
        seed,
        scenario.warm_up_days,
        suggested,
        by_service,
        untrusted,
        unbounded,
        fixed,
        each,
    )
