"""One precision rule for a chart's values and axis, and its period labels."""

from __future__ import annotations

import pytest

from placeplan.measures.domain.spc import xmr
from placeplan.measures.domain.spc_scale import (
    chart_decimals,
    decimals,
    period_label,
    shown,
    step_of,
    steps_ahead,
    thinned,
    ticks,
)


@pytest.mark.parametrize(
    ("low", "high", "step"),
    [
        (0.0, 6.0, 1.0),  # 6 / 6 = 1
        (0.87, 0.93, 0.01),  # 0.06 / 6 = 0.01
        (0.80, 1.00, 0.05),  # 0.2 / 6 = 0.033 -> the next of 1, 2, 5: 0.05
        (11_900.0, 12_200.0, 50.0),  # 300 / 6 = 50
        (0.0, 700.0, 200.0),  # 700 / 6 = 117 -> 200
    ],
)
def test_the_axis_step_is_one_two_or_five_times_a_power_of_ten(low, high, step) -> None:
    assert step_of(low, high) == pytest.approx(step)


def test_decimals_follow_the_unit_unless_the_span_needs_more() -> None:
    assert decimals("count", 0, 700) == 0  # step 200
    assert decimals("minutes", 10, 40) == 0  # step 5
    assert decimals("percentage", 70, 90) == 1  # step 5, but a percentage reads at 1 decimal
    assert decimals("days", 0.87, 0.93) == 2  # step 0.01: "0.87 days", never "0.9"
    assert decimals("days", 0.8, 1.0) == 2  # step 0.05
    assert decimals("rate_per_100k", 11_900, 12_200) == 1


def test_ticks_are_multiples_of_the_step_inside_the_range() -> None:
    # span 0.079: 0.079 / 6 = 0.013, so a step of 0.02
    assert ticks(0.862, 0.941) == pytest.approx([0.88, 0.90, 0.92, 0.94])
    assert ticks(-3.2, 3.3) == pytest.approx([-2, 0, 2])  # span 6.5: 6.5 / 6 = 1.08, a step of 2


def test_a_chart_and_its_values_share_the_precision() -> None:
    # 0.87 .. 0.93 days with limits about 0.83 .. 0.97: step 0.02 -> 2 decimals
    c = xmr([(f"2024-{m:02d}", 0.87 + 0.02 * (m % 4)) for m in range(1, 13)], "lower")
    assert chart_decimals(c, "days") == 2
    assert shown(0.8983, 2) == "0.90" and shown(12345.25, 1) == "12,345.3"


def test_periods_read_as_people_write_them() -> None:
    assert period_label("2024-07") == "Jul 2024"
    assert period_label("2025-26 Q3") == "2025-26 Q3"
    assert period_label("2025-26") == "2025-26"
    assert period_label("not a period") == "not a period"


def test_labels_are_thinned_so_none_overlaps() -> None:
    # 36 labels across 360px, 50px each: 10px apart, so every 5th
    assert thinned(36, 50, 350) == [0, 5, 10, 15, 20, 25, 30, 35]
    assert thinned(4, 50, 600) == [0, 1, 2, 3]
    assert thinned(1, 50, 600) == [0]


def test_an_ambition_lies_ahead_by_the_months_to_its_periods_end() -> None:
    months = ["2025-01", "2025-02", "2025-03"]
    assert steps_ahead("2025-03", "2025-26", months) == 12  # April 2025 to March 2026
    assert steps_ahead("2025-03", "2025-06", months) == 3
    assert steps_ahead("2025-03", "2024-25", months) is None  # ended in March 2025: not ahead
