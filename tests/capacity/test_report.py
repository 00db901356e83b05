"""The waiting time distribution of a service: the share starting within 0.5, 1, 2, 7, 14 and 28
days, against M/M/c theory, in the report and on the run page's CSV."""

from __future__ import annotations

import math
from typing import Any

from placeplan.capacity.domain import erlang_c, parse_scenario, report, run, summarise
from placeplan.capacity.domain.engine import WAIT_BANDS, wait_band_key


def test_shares_within_match_erlang_c_within_ci(smallest: dict[str, Any]) -> None:
    # M/M/c: P(W < t) = 1 - P(wait) * exp(-(c*mu - lambda) * t). Here c = 90, mu = 1/4 a day,
    # lambda = 20 a day: c*mu - lambda = 2.5 a day and P(wait) = 0.195 (REFERENCE.md), so
    # within half a day 1 - 0.195 * exp(-1.25) = 0.944, within one day 1 - 0.195 * exp(-2.5) = 0.984.
    exact = erlang_c(20, 4, 90)
    period = run(parse_scenario(smallest), replications=1000, seed=5).services["P2"].period
    for days in WAIT_BANDS:
        expected = 1 - exact.p_wait * math.exp(-(90 * 0.25 - 20) * days)
        share = summarise(period[wait_band_key(days)])
        assert share.low is not None and share.high is not None
        # the interval, widened by the histogram's 0.01-day bins (waits are binned, not exact)
        assert share.low - 0.002 <= expected <= share.high + 0.002, (days, share, expected)
    assert round(1 - exact.p_wait * math.exp(-1.25), 3) == 0.944


def test_the_distribution_rises_and_agrees_with_the_two_day_share(smallest: dict[str, Any]) -> None:
    smallest["services"][0]["capacity"] = 82  # 80 places needed on average: long waits
    result = run(parse_scenario(smallest), replications=100, seed=2)
    doc = report.as_dict(result)["services"]["P2"]
    shares = [band["share"]["value"] for band in doc["wait_distribution"]]
    assert [band["within_days"] for band in doc["wait_distribution"]] == list(WAIT_BANDS)
    assert shares == sorted(shares) and 0 < shares[0] < shares[-1] <= 1
    two = next(b for b in doc["wait_distribution"] if b["within_days"] == 2)["share"]["value"]
    # the same quantity counted two ways (the histogram, and a direct count of waits over 2 days)
    assert abs(two - doc["p_start_within_2_days"]["value"]) < 0.005


def test_no_distribution_where_the_queue_grows_without_bound(smallest: dict[str, Any]) -> None:
    smallest["services"][0]["capacity"] = 70  # 80 places needed: no steady state
    doc = report.as_dict(run(parse_scenario(smallest), replications=20, seed=1))
    assert doc["services"]["P2"]["wait_distribution"] is None
