"""Sizing: the least capacity meeting a target (checked independently), bad targets and
services; and the demo's P2 model and the seed's 88-bed gap (seed 000: the P2 options paper found
an 88-bed gap against today's beds; 28 therapy-led D2A beds [seed 002] + 36 therapy beds
[seed 000])."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from placeplan.capacity.domain import parse_scenario, report, run, size, summarise
from placeplan.capacity.domain.sizing import chosen_target, parse_target
from placeplan.capacity.io.scenario import load_scenario
from placeplan.core.errors import InputError


def _small(smallest: dict[str, Any]) -> dict[str, Any]:
    # 4 a day, mean stay 5: 20 places needed; 90 days after 30 days' warm-up
    smallest["days"] = 90
    smallest["warm_up_days"] = 30
    smallest["services"][0].update(
        arrivals_per_day=4, length_of_stay={"distribution": "exponential", "mean": 5}, capacity=21
    )
    return smallest


def test_sizing_finds_the_least_capacity(smallest: dict[str, Any]) -> None:
    scenario = parse_scenario(_small(smallest))
    result = size(scenario, "P2", "mean_wait_days<=0.1", replications=200, seed=5)
    assert result.met
    needed = 21 + result.added
    # an independent check with the same replications and seed: needed meets, needed - 1 not
    at = run(scenario.with_capacity_added("P2", result.added), 200, seed=5)
    less = run(scenario.with_capacity_added("P2", result.added - 1), 200, seed=5)
    assert summarise(at.services["P2"].period["mean_wait_days"]).value <= 0.1
    assert summarise(less.services["P2"].period["mean_wait_days"]).value > 0.1
    doc = result.as_dict()
    assert doc["capacity_needed"] == needed and doc["gap"] == result.added
    assert doc["capacity_now"] == 21
    # M/M/c with 4 a day and mean stay 5 needs about 26 places for a 0.1-day mean wait (Erlang C)
    assert 24 <= needed <= 28


def test_sizing_for_share_starting_within_two_days(smallest: dict[str, Any]) -> None:
    scenario = parse_scenario(_small(smallest))
    result = size(scenario, "P2", "p_start_within_2_days>=0.95", replications=100, seed=5)
    assert result.met
    ev = result.evaluations
    assert ev[result.added].value is not None and ev[result.added].value >= 0.95
    assert ev[result.added - 1].value is None or ev[result.added - 1].value < 0.95


@pytest.mark.parametrize(
    "target",
    ["mean_wait<=0.5", "mean_wait_days=0.5", "p_start_within_2_days<=0.9", "mean_queue>=2"],
)
def test_bad_targets_name_the_target(smallest: dict[str, Any], target: str) -> None:
    with pytest.raises(InputError) as err:
        size(parse_scenario(smallest), "P2", target)
    assert err.value.field == "target"


@pytest.mark.parametrize(
    ("measure", "comparison", "value", "text", "words"),
    [
        ("mean_wait_days", "<", "2", "mean_wait_days<2", "mean wait less than 2 days"),
        (
            "p_start_within_2_days",
            ">=",
            "95%",
            "p_start_within_2_days>=0.95",  # a percentage typed, a share kept
            "share of people starting within 2 days at least 95%",
        ),
        (
            "mean_queue",
            "<=",
            "1,500",
            "mean_queue<=1500",
            "mean number waiting at most 1500 people",
        ),
    ],
)
def test_a_target_picked_from_lists_is_the_typed_one(
    measure: str, comparison: str, value: str, text: str, words: str
) -> None:
    picked = chosen_target(measure, comparison, value)
    assert picked == parse_target(text)
    assert picked.in_words() == words


@pytest.mark.parametrize(
    ("measure", "comparison", "value", "field"),
    [
        ("mean_wait", "<", "2", "measure"),
        ("mean_wait_days", "=", "2", "comparison"),
        ("mean_wait_days", ">", "2", "comparison"),  # a wait falls as capacity grows
        ("p_start_within_2_days", "<", "90", "comparison"),  # a share starting rises
        ("mean_wait_days", "<", "two", "value"),
        ("mean_wait_days", "<", "-1", "value"),
        ("p_wait", "<", "101", "value"),
    ],
)
def test_a_picked_target_refused_names_its_part(
    measure: str, comparison: str, value: str, field: str
) -> None:
    with pytest.raises(InputError) as err:
        chosen_target(measure, comparison, value)
    assert err.value.field == field


def test_sizing_unknown_service(smallest: dict[str, Any]) -> None:
    with pytest.raises(InputError) as err:
        size(parse_scenario(smallest), "P9", "mean_wait_days<=0.5")
    assert err.value.field == "service"


def test_sizing_p2_finds_the_seeds_88_bed_gap(demo_path: Path) -> None:
    # P2's demand is calibrated to this (the seeds give no referral rate; see the file's notes),
    # so this checks the calibration holds, not the options paper
    scenario = load_scenario(demo_path)
    answer = size(scenario, "P2", "mean_wait_days<=0.5", 200, 1).as_dict()
    assert answer["capacity_now"] == 64  # 28 + 36
    assert answer["gap"] == 88
    assert answer["capacity_needed"] == 64 + 88


def test_todays_p2_beds_fall_short_and_the_run_says_so(demo_path: Path) -> None:
    # 5.1 a day x 28 days = 142.8 places needed against 64 (84 in winter): no steady state
    doc = report.as_dict(run(load_scenario(demo_path), 30, seed=1))
    p2 = doc["services"]["P2"]
    assert doc["unbounded"] == ["P2"] and p2["mean_wait_days"] is None
    assert p2["offered_load_by_month"][0] == 142.8
    # the cohort beyond today's beds goes to temporary residential places [seed 000]
    assert p2["interim_placements_per_month"]["value"] > 0
    # ...after days in an acute bed while each is arranged (the calibrated time to arrange), so
    # the discharge-delay metric is a steady figure above zero, not 0.00 days
    assert p2["delayed_bed_days_per_month"]["value"] > 0
    assert doc["discharge_metric"]["message"] is None
    assert doc["discharge_metric"]["average_delay_days"]["value"] > 0
