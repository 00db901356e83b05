"""The trial run: the MSER-5 rule on hand-built series (the truncation points derived by hand
below), the timing arithmetic on a given clock, and a trial of a small model."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from placeplan.capacity.domain import parse_scenario
from placeplan.capacity.domain.trial import BATCH_SIZE, mser5, timing, trial_run
from tests.capacity.conftest import SMALLEST

# Batch means Z_1..Z_10, each the mean of five days (z - 1, z + 1, z, z - 2, z + 2):
Z = [30, 20, 12, 10, 8, 10, 12, 10, 8, 10]
# MSER(d) = sum over j > d of (Z_j - mean)^2 / (10 - d)^2, for d = 0 .. 5 (the first half):
#   d=0: mean 13,    squares 289+49+1+9+25+9+1+9+25+9 = 426,    426 / 100 = 4.26
#   d=1: mean 11.11, squares 79.01+0.79+1.23+9.68+1.23+0.79+1.23+9.68+1.23 = 104.9, / 81 = 1.295
#   d=2: mean 10,    squares 4+0+4+0+4+0+4+0 = 16,              16 / 64 = 0.25
#   d=3: mean 9.714, squares 0.08+2.94+0.08+5.22+0.08+2.94+0.08 = 11.43, / 49 = 0.233
#   d=4: mean 9.667, squares 2.78+0.11+5.44+0.11+2.78+0.11 = 11.33,      / 36 = 0.315
#   d=5: mean 10,    squares 0+4+0+4+0 = 8,                     8 / 25 = 0.32
# so the minimum is at d = 3 (not 2: the divisor (k - d)^2 rewards the longer tail less than the
# two 10s it drops cost): 3 batches of 5, 15 days truncated.
SERIES = [z + e for z in Z for e in (-1, 1, 0, -2, 2)]


def test_mser5_truncates_the_hand_built_series_where_derived_by_hand() -> None:
    found = mser5(SERIES)
    assert (found.observations, found.batches, found.trusted) == (15, 10, True)
    # a part-batch at the end is left out, as the rule says
    assert mser5([*SERIES, 99.0, 99.0]).observations == 15


def test_mser5_does_not_trust_a_series_that_never_settles() -> None:
    # a steady climb, batch means 1..10: the tail of m batches has squares m(m^2 - 1)/12, so
    # MSER(d) = (m^2 - 1) / 12m with m = 10 - d falls all the way to the half-way point d = 5
    climb = [float(z) for z in range(1, 11) for _ in range(BATCH_SIZE)]
    found = mser5(climb)
    assert (found.observations, found.trusted) == (25, False)


def test_timing_splits_a_run_into_its_fixed_part_and_each_replication() -> None:
    # 25 replications take 1.0 s and 50 take 1.5 s: 0.02 s each, and 0.5 s fixed
    ticks = iter([10.0, 11.0, 20.0, 21.5])
    fixed, each, made = timing(lambda: next(ticks), lambda n: n, 25)
    assert (fixed, each, made) == (pytest.approx(0.5), pytest.approx(0.02), 50)
    # the larger run quicker (a loaded machine): no fixed part, the larger run's rate
    ticks = iter([0.0, 2.0, 0.0, 1.0])
    assert timing(lambda: next(ticks), lambda n: n, 25)[:2] == (0.0, pytest.approx(0.02))


def test_a_trial_of_a_small_model_suggests_a_warm_up_and_a_time() -> None:
    # M/M/90 at 20 a day, stays of 4 days, starting empty: it fills (to about 80) within weeks
    data: dict[str, Any] = copy.deepcopy(SMALLEST)
    trial = trial_run(parse_scenario(data), replications=10)
    assert trial.unbounded == [] and trial.untrusted == []
    assert trial.suggested_warm_up_days is not None
    assert 0 < trial.suggested_warm_up_days <= 60
    assert trial.seconds_per_replication > 0
    assert trial.estimate_seconds(1000) > trial.estimate_seconds(100)


def test_a_trial_names_a_queue_that_grows_without_bound() -> None:
    data: dict[str, Any] = copy.deepcopy(SMALLEST)
    data["services"][0]["capacity"] = 60  # 80 places' worth of demand
    trial = trial_run(parse_scenario(data), replications=10)
    assert trial.unbounded == ["P2"]
    assert trial.suggested_warm_up_days is None
