"""Month accounting at a boundary (issue 18, item 10) and the two readings of a fall in capacity
(item 11), checked against an independent event-by-event model written here."""

from __future__ import annotations

import bisect
import copy
import math
import random
from typing import Any

import numpy as np
import pytest
import yaml

from placeplan.capacity.domain import parse_scenario, report, run
from placeplan.core.errors import InputError

MONTH = 365.0 / 12.0


def _surge(extra: int, start: str | None) -> dict[str, Any]:
    # the issue's example: surge places opening on 1 December (M09 without a start month) while
    # people queue for them
    doc: dict[str, Any] = {
        "name": "winter surge",
        "days": 365,
        "warm_up_days": 60,
        "services": [
            {
                "id": "P2",
                "kind": "beds",
                "arrivals_per_day": 1.0,
                "length_of_stay": {"distribution": "exponential", "mean": 14},
                "capacity": 10,
            }
        ],
    }
    if start:
        doc["start"] = start
    if extra:
        doc["services"][0]["surge"] = {"months": ["2025-12" if start else "M09"], "extra": extra}
    return doc


@pytest.mark.parametrize("start", ["2025-04", None])
def test_starts_when_surge_places_open_count_in_the_new_month(start: str | None) -> None:
    # places opening on 1 December change nothing before it: November's admissions are the same
    # with and without them (same seed), and the 5 places opening at once add at least 5 starts
    # in December in every replication, since the queue (14 a day of load on 10 places) is long
    without = run(parse_scenario(_surge(0, start)), 500, seed=7).services["P2"]
    with_surge = run(parse_scenario(_surge(5, start)), 500, seed=7).services["P2"]
    november, december = 7, 8
    before, after = without.monthly["admissions"], with_surge.monthly["admissions"]
    np.testing.assert_array_equal(after[:, november], before[:, november])
    assert (after[:, december] - before[:, december] >= 5).all()


# ---- the two readings of a fall: places cut from 30 to 15 in month 6 (the issue's example) ----

CAPACITY = [30] * 5 + [15] + [30] * 6
ARRIVALS, MEAN_STAY = 1.2, 20.0  # 24 places of load: over 15, under 30


def _fall(reading: str) -> dict[str, Any]:
    return {
        "name": "a fall in month 6",
        "days": 365,
        "warm_up_days": 60,
        "services": [
            {
                "id": "P2",
                "kind": "beds",
                "arrivals_per_day": ARRIVALS,
                "length_of_stay": {"distribution": "exponential", "mean": MEAN_STAY},
                "capacity": CAPACITY,
                "when_capacity_falls": reading,
            }
        ],
    }


def _capacity_at(t: float) -> int:
    # months of 365/12 days from day 0; the warm-up repeats the pattern backwards
    return CAPACITY[int(math.floor(t / MONTH)) % 12]


def _boundaries_after(t: float, until: float) -> list[float]:
    k = math.floor(t / MONTH) + 1
    out = []
    while k * MONTH < until:
        out.append(k * MONTH)
        k += 1
    return out


def _reference(reading: str, seed: int, warm_up: float = 60.0, days: float = 365.0) -> dict:
    """One replication, person by person: FCFS, starts searched over the times occupancy or
    capacity can change. `empty_gradually`: place j is open in a month when j < capacity, and a
    new person takes the open place that has been free longest;
    `hold_new_starts`: anyone may start while fewer than the month's capacity are in care."""
    rng = random.Random(seed)
    t = -warm_up
    free = [-warm_up] * 30  # each place's free time (gradual reading)
    ends: list[float] = []  # leaving times of everyone started, sorted (count reading)
    waits, month6_days = [], 0.0
    lo6, hi6 = 5 * MONTH, 6 * MONTH
    while True:
        t += rng.expovariate(ARRIVALS)
        if t >= days:
            break
        stay = rng.expovariate(1.0 / MEAN_STAY)
        if reading == "empty_gradually":
            # the open place free longest (the highest-numbered places close in a fall)
            best, where = math.inf, -1
            for j in range(30):
                s = max(t, free[j])
                key = free[j]
                while j >= _capacity_at(s):
                    s = key = (math.floor(s / MONTH) + 1) * MONTH
                if key < best:
                    best, where = key, j
            start = max(t, best)
            free[where] = start + stay
        else:
            candidates = sorted([t] + [e for e in ends if e > t] + _boundaries_after(t, days + 400))
            start = math.inf
            for s in candidates:
                in_care = len(ends) - bisect.bisect_right(ends, s)
                if in_care < _capacity_at(s):
                    start = s
                    break
            bisect.insort(ends, start + stay)
        if 0.0 <= t < days:
            waits.append(start - t)
        month6_days += max(0.0, min(start + stay, hi6) - max(start, lo6))
    return {"mean_wait_days": float(np.mean(waits)), "occupancy_6": month6_days / (hi6 - lo6)}


@pytest.mark.parametrize("reading", ["empty_gradually", "hold_new_starts"])
def test_each_reading_agrees_with_an_independent_model(reading: str) -> None:
    result = run(parse_scenario(_fall(reading)), 1000, seed=2).services["P2"]
    ours = {
        "mean_wait_days": result.period["mean_wait_days"],
        "occupancy_6": result.monthly["occupancy"][:, 5],
    }
    ref = [_reference(reading, seed) for seed in range(300)]
    for key, values in ours.items():
        theirs = np.array([r[key] for r in ref])
        se = math.sqrt(values.var(ddof=1) / len(values) + theirs.var(ddof=1) / len(theirs))
        assert abs(values.mean() - theirs.mean()) < 4 * se, (key, values.mean(), theirs.mean())


def test_the_readings_differ_as_the_issue_describes() -> None:
    gradual = run(parse_scenario(_fall("empty_gradually")), 400, seed=4).services["P2"]
    held = run(parse_scenario(_fall("hold_new_starts")), 400, seed=4).services["P2"]
    # closing places keep their occupants while the open ones take new people: month 6 is over
    # its 15 places (utilisation above 100%) and fuller than when the count holds new starts
    assert gradual.monthly["utilisation"][:, 5].mean() > 1.0
    assert gradual.monthly["occupancy"][:, 5].mean() > held.monthly["occupancy"][:, 5].mean()
    assert gradual.period["mean_wait_days"].mean() < held.period["mean_wait_days"].mean()
    doc = report.as_dict(run(parse_scenario(_fall("hold_new_starts")), 10, seed=1))
    assert doc["services"]["P2"]["capacity_falls_reading"] == (
        "capacity is a count that holds new starts"
    )


def test_a_count_reading_is_refused_on_routed_services(network: dict[str, Any]) -> None:
    doc = copy.deepcopy(network)
    doc["services"][0]["when_capacity_falls"] = "hold_new_starts"
    with pytest.raises(InputError) as err:
        parse_scenario(doc)
    assert err.value.field == "services[0].when_capacity_falls"


def test_the_reading_is_kept_in_the_yaml_and_unknown_ones_are_refused() -> None:
    from placeplan.capacity.io.scenario import parse_scenario_text

    text = yaml.safe_dump(_fall("hold_new_starts"))
    assert "when_capacity_falls: hold_new_starts" in text
    assert parse_scenario_text(text).services[0].capacity_falls == "hold_new_starts"
    with pytest.raises(InputError) as err:
        parse_scenario_text(text.replace("hold_new_starts", "sometimes"))
    assert err.value.field == "services[0].when_capacity_falls"
