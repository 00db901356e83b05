"""Poisson arrivals in continuous time, at a rate that varies by month and grows over the year.

The rate is piecewise constant (by day when there is growth, by month otherwise). A unit-rate
Poisson process (cumulated exponential gaps) is mapped through the inverse of the cumulative rate,
which gives the non-homogeneous Poisson process exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.base import PAD
from placeplan.capacity.domain.kernels.compiled import built as compiled
from placeplan.capacity.domain.scenario import Scenario, Service

FloatArray = NDArray[np.float64]


def growth_factor(growth: float, t: float) -> float:
    """Demand multiplier at day t: growth is linear over the year from the start (1 before it)."""
    return 1.0 + growth * max(t, 0.0) / 365.0


def intensity(scenario: Scenario, service: Service) -> tuple[FloatArray, FloatArray]:
    """Knots (times) and the cumulative expected arrivals at each knot, from t0 to the end.

    Vectorised (a knot a day under growth: 425 for the demo, computed for every run and measure),
    with the same operations in the same order as a running total in Python, so the same bits."""
    tl = scenario.timeline
    knots = [np.array([tl.t0, float(scenario.days), *(seg.begin for seg in tl.segments)])]
    if service.growth != 0.0:
        knots.append(np.arange(int(np.ceil(tl.t0)), scenario.days, dtype=np.float64))
    times = np.unique(np.concatenate(knots))
    times = times[(times >= tl.t0) & (times <= scenario.days)]
    cum = np.zeros_like(times)
    if len(times) > 1:
        lo, hi = times[:-1], times[1:]
        mid = (lo + hi) / 2.0
        # the segment holding each midpoint (segments are contiguous and sorted; past the last,
        # the last, as Timeline.segment_at)
        begins = np.array([seg.begin for seg in tl.segments])
        ends = np.array([seg.end for seg in tl.segments])
        at = np.searchsorted(begins, mid, side="right") - 1
        at = np.where((at >= 0) & (mid < ends[np.maximum(at, 0)]), at, len(begins) - 1)
        cycles = np.array([seg.cycle for seg in tl.segments])[at]
        per_day = np.asarray(service.arrivals_per_day, dtype=np.float64)[cycles]
        rate = per_day * (1.0 + service.growth * np.maximum(mid, 0.0) / 365.0)
        np.cumsum(rate * (hi - lo), out=cum[1:])
    return times, cum


def expected_arrivals(scenario: Scenario, service: Service, lo: float, hi: float) -> float:
    times, cum = intensity(scenario, service)
    return float(np.interp(hi, times, cum) - np.interp(lo, times, cum))


class ArrivalStream:
    """Arrival times in blocks of shape (B, R): row k holds each replication's k-th arrival."""

    def __init__(
        self,
        scenario: Scenario,
        service: Service,
        rng: np.random.Generator,
        replications: int,
    ) -> None:
        self.times, self.cum = intensity(scenario, service)
        self.total = float(self.cum[-1])
        self.rng = rng
        self.replications = replications
        self.t0 = scenario.timeline.t0
        self.waiting = service.waiting
        self.carry = np.zeros(replications)
        self.done = self.total <= 0.0
        self.first = True
        rates = np.diff(self.cum) / np.maximum(np.diff(self.times), 1e-300)
        span = float(self.times[-1] - self.times[0])
        # one rate throughout: times are t0 + cumulated gaps / rate, no interpolation needed
        self.rate = (
            float(self.total / span)
            if span > 0 and self.total > 0 and np.allclose(rates, rates[0], rtol=1e-12, atol=0)
            else None
        )

    def expected_count(self) -> int:
        return int(self.total + 6.0 * np.sqrt(self.total) + 10) + self.waiting

    def blocks(self, size: int) -> Iterator[FloatArray]:
        """Blocks of arrival times, padded with PAD once a replication has no more arrivals.
        Through the inverse cumulative rate compiled (`kernels.compiled.interp`) where it is
        built, else with `numpy.interp`: the same times."""
        if self.first and self.waiting:
            self.first = False
            yield np.full((self.waiting, self.replications), self.t0)
        self.first = False
        while not self.done:
            gaps = self.rng.standard_exponential((size, self.replications))
            np.cumsum(gaps, axis=0, out=gaps)
            gaps += self.carry
            self.carry = gaps[-1].copy()
            if self.rate is not None:
                out = gaps / self.rate
                out += self.t0
                out[gaps >= self.total] = PAD
            elif compiled.AVAILABLE:
                out = np.empty_like(gaps)
                compiled.interp.interp_columns(gaps, self.cum, self.times, self.total, PAD, out)
            else:
                out = np.interp(gaps, self.cum, self.times)
                out[gaps >= self.total] = PAD
            if bool((gaps[-1] >= self.total).all()):
                self.done = True
            yield out

    def all(self, size: int = 1024) -> FloatArray:
        """Every arrival at once, shape (K + 1, R), with at least one row of padding at the end."""
        parts = list(self.blocks(size))
        parts.append(np.full((1, self.replications), PAD))
        arr = np.concatenate(parts, axis=0)
        # trim rows that are padding in every replication (keep one)
        live = np.flatnonzero((arr < PAD).any(axis=1))
        last = int(live[-1]) + 1 if len(live) else 0
        return np.ascontiguousarray(arr[: last + 1])
