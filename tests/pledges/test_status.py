"""A measure's and a pledge's status (pledges.domain.status), with every expected figure worked out by
hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.pledges.domain import status as rules


def test_time_elapsed_along_the_trajectory():
    # 2023-24 ends 31 Mar 2024, 2025-26 ends 31 Mar 2026: 730 days. 2024-25 ends 365 days in.
    assert rules.time_elapsed("2023-24", "2025-26", "2024-25") == Decimal("0.5")
    # Before the baseline's end and after the target's end the share is held at 0 and 1.
    assert rules.time_elapsed("2023-24", "2025-26", "2023-24 Q1") == 0
    assert rules.time_elapsed("2023-24", "2025-26", "2027-28") == 1
    # Month to month: 31 Mar 2023 to 30 Sep 2023 is 183 days of the 366 to 31 Mar 2024.
    assert rules.time_elapsed("2023-03", "2024-03", "2023-09") == Decimal(183) / Decimal(366)


def test_a_measure_on_track_is_at_or_beyond_the_straight_line():
    # Higher is better, 60 -> 80, half-way through: the line stands at 70.
    on = rules.assess(
        "higher", Decimal(60), "2023-24", Decimal(80), "2025-26", Decimal(72), "2024-25"
    )
    assert on.status == "on_track"
    assert on.expected == Decimal(70)
    assert on.distance_covered == Decimal("0.6")  # (72 - 60) / (80 - 60)
    assert (
        rules.assess(
            "higher", Decimal(60), "2023-24", Decimal(80), "2025-26", Decimal(70), "2024-25"
        ).status
        == "on_track"
    )  # exactly on the line counts as on track
    off = rules.assess(
        "higher", Decimal(60), "2023-24", Decimal(80), "2025-26", Decimal(69), "2024-25"
    )
    assert off.status == "off_track"
    assert off.distance_covered == Decimal("0.45")  # 9 / 20


def test_lower_is_better_mirrors_the_line():
    # 1,000 -> 600 half-way: the line stands at 800. 790 is better (on track); 850 worse.
    args = ("lower", Decimal(1000), "2023-24", Decimal(600), "2025-26")
    assert rules.assess(*args, Decimal(790), "2024-25").status == "on_track"
    off = rules.assess(*args, Decimal(850), "2024-25")
    assert (off.status, off.expected) == ("off_track", Decimal(800))
    assert off.distance_covered == Decimal("0.375")  # (850 - 1000) / (600 - 1000) = 150/400
    met = rules.assess(*args, Decimal(600), "2024-25")
    assert met.status == "met"


def test_past_the_target_period_short_of_the_target_is_off_track():
    # At 2026-27 the line has reached the target (80); 79 is short of it.
    assert (
        rules.assess(
            "higher", Decimal(60), "2023-24", Decimal(80), "2025-26", Decimal(79), "2026-27"
        ).status
        == "off_track"
    )


def test_measures_with_something_missing():
    # No latest value, or nothing to judge one against, or no direction: not yet measured.
    assert (
        rules.assess("higher", Decimal(1), "2023-24", Decimal(2), "2024-25", None, None).status
        == "not_measured"
    )
    assert (
        rules.assess("higher", None, None, None, None, Decimal(5), "2024-25").status
        == "not_measured"
    )
    assert (
        rules.assess(None, None, None, None, None, Decimal(5), "2024-25").status == "not_measured"
    )
    # A target but no baseline: met at or beyond the target, else off track (no line to follow).
    assert (
        rules.assess("lower", None, None, Decimal(30), "2023-24", Decimal(30), "2023-24 Q3").status
        == "met"
    )
    assert (
        rules.assess("lower", None, None, Decimal(30), "2023-24", Decimal(34), "2023-24 Q3").status
        == "off_track"
    )
    # A baseline but no target: better than the baseline is on track, the same or worse is not.
    assert (
        rules.assess("lower", Decimal(9), "2023-24", None, None, Decimal("8.5"), "2024-25").status
        == "on_track"
    )
    assert (
        rules.assess("lower", Decimal(9), "2023-24", None, None, Decimal(9), "2024-25").status
        == "off_track"
    )


def test_figures_are_checked():
    with pytest.raises(InputError) as caught:
        rules.check_figures("higher", Decimal(80), "2023-24", Decimal(60), "2025-26")
    assert caught.value.field == "target_value"  # a target below the baseline when higher is better
    with pytest.raises(InputError):
        rules.check_figures("higher", Decimal(60), None, None, None)
    with pytest.raises(InputError):
        rules.check_figures("higher", Decimal(60), "2025-26", Decimal(80), "2023-24")
    rules.check_figures("higher", Decimal(95), "2023-24", Decimal(95), "2027-28")  # maintain
    with pytest.raises(InputError):
        rules.check_direction("up")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "not_measured"),
        (["not_measured", "not_measured"], "not_measured"),
        (["met", "met"], "met"),
        (["met", "not_measured"], "on_track"),  # met only when every measure is met
        (["met", "on_track"], "on_track"),
        (["met", "off_track", "on_track"], "off_track"),
        (["off_track", "not_measured"], "off_track"),
    ],
)
def test_a_pledge_takes_the_worst_of_its_measures(statuses, expected):
    assert rules.pledge_status(statuses) == expected


# A glide path falling £45, £40.50, £36.45 from 2024-25 (tests/finance/test_allocation.py's B).
PATH = (("2024-25", 45_00), ("2025-26", 40_50), ("2026-27", 36_45))


def test_a_path_is_judged_in_the_way_it_moves_for_the_latest_values_year() -> None:
    # No direction of its own: the path falls, so lower is better. A month's value is judged in
    # the financial year it ends in (2025-03 is in 2024-25).
    assert rules.assess_on_path(None, PATH, Decimal("44"), "2025-03").status == "on_track"
    assert rules.assess_on_path(None, PATH, Decimal("41"), "2025-26").status == "off_track"
    assert rules.assess_on_path(None, PATH, Decimal("36.45"), "2026-27").status == "met"
    judged = rules.assess_on_path("higher", PATH, Decimal("41"), "2025-26")
    assert judged is not None and judged.expected == Decimal("40.5")  # its own direction
    assert judged.status == "on_track"
    assert rules.assess_on_path(None, PATH, Decimal("44"), "2027-28") is None  # beyond the path
    assert rules.assess_on_path(None, PATH, None, None) is None
    assert rules.assess_on_path(None, (), Decimal("1"), "2024-25") is None
