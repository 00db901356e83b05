"""Erlang C helper, and the simulation against it."""

from __future__ import annotations

from typing import Any

import pytest

from placeplan.capacity.domain import erlang_c, parse_scenario, run
from placeplan.core.errors import InputError


def test_erlang_matches_reference() -> None:
    # REFERENCE.md: 20 arrivals a day, mean stay 4 days, c = 90 -> Wq = 0.0781 days, P(wait) = 0.195
    r = erlang_c(20, 4, 90)
    assert round(r.mean_wait_days or 0, 4) == 0.0781
    assert round(r.p_wait, 3) == 0.195
    assert r.utilisation == pytest.approx(80 / 90)
    assert not r.unbounded


def test_erlang_single_server_closed_form() -> None:
    # M/M/1 textbook: P(wait) = rho, Wq = rho / (mu - lambda); lambda 0.5, mean stay 1 -> 1.0 day
    r = erlang_c(0.5, 1.0, 1)
    assert r.p_wait == pytest.approx(0.5)
    assert r.mean_wait_days == pytest.approx(1.0)


def test_erlang_overloaded_says_so() -> None:
    # 20 a day x 4 days = 80 places needed against 70: no steady state
    r = erlang_c(20, 4, 70)
    assert r.unbounded and r.mean_wait_days is None
    assert r.message is not None and "without bound" in r.message


@pytest.mark.parametrize(
    ("args", "field"),
    [((-1, 4, 90), "arrivals"), ((20, 0, 90), "mean_stay"), ((20, 4, 0), "servers")],
)
def test_erlang_bad_input_names_field(args: tuple[float, float, int], field: str) -> None:
    with pytest.raises(InputError) as err:
        erlang_c(*args)
    assert err.value.field == field


def test_engine_matches_erlang_c_within_ci(smallest: dict[str, Any]) -> None:
    # the benchmark model at 1,000 replications: Erlang C's exact mean wait (0.0781 days)
    # and P(wait) (0.195) must lie inside the simulation's 95% confidence intervals
    exact = erlang_c(20, 4, 90)
    result = run(parse_scenario(smallest), replications=1000, seed=1)
    period = result.services["P2"].period
    from placeplan.capacity.domain import summarise

    wait = summarise(period["mean_wait_days"])
    p_wait = summarise(period["p_wait"])
    queue = summarise(period["mean_queue"])
    util = summarise(period["utilisation"])
    assert wait.low is not None and wait.high is not None
    assert wait.low <= (exact.mean_wait_days or 0) <= wait.high
    assert p_wait.low is not None and p_wait.high is not None
    assert p_wait.low <= exact.p_wait <= p_wait.high
    assert queue.low is not None and queue.high is not None
    assert queue.low <= (exact.mean_queue or 0) <= queue.high
    # utilisation: 80 of 90 places busy on average
    assert util.value == pytest.approx(80 / 90, abs=0.003)
    # continuous time: the mean wait is a fraction of a day, resolved to well under 10%
    assert wait.value == pytest.approx(exact.mean_wait_days, rel=0.1)
