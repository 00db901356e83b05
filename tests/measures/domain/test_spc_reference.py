"""Reference series for NHSRplotthedots' rules, each worked by hand below.

The rules, as NHSRplotthedots implements them (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R): limits at mean +/- 2.66 x mean moving range, "close" between
mean +/- 1.7733 x mean moving range and the limit (a point outside is not close); special cause
for a point outside the limits; 7 points in a row on one side of the mean
(`ptd_seven_point_one_side_mean`: the run is 7, fixed, not 8); 7 points each higher or each lower
than the one before (`ptd_seven_point_trend`: the package does use trends, of 7); 2 of 3
consecutive points close to a limit with all three on one side (`ptd_two_in_three`), the close
ones flagged. A flagged point's type by the first rule that flags it (`ptd_special_cause_type`):
outside, trend (by its direction), two-in-three, run (by side). The variation icon from the
latest point (`ptd_get_icons`: improvement is "high" where higher is better, concern "low");
assurance from the latest limits: target above the upper limit fails where higher is better,
below the lower limit passes, otherwise hit and miss.
"""

from __future__ import annotations

import pytest

from placeplan.measures.domain.spc import SpcChart, xmr


def chart(values: list[float], direction: str = "higher", **options: object) -> SpcChart:
    return xmr([(f"p{i:02d}", v) for i, v in enumerate(values)], direction, **options)  # type: ignore[arg-type]


def flagged(c: SpcChart) -> dict[int, str]:
    return {i: p.type for i, p in enumerate(c.points) if p.type != "common_cause"}


# ---- a run of 7 on one side --------------------------------------------------------------------
# 10, 0 six times, then 6, 7, 6, 7, 6, 7, 6, then 0 (20 points).
# mean = (6 x 10 + 4 x 6 + 3 x 7 + 0) / 20 = 105 / 20 = 5.25
# moving ranges: 11 of 10, 0->6 = 6, six of 1, 6->0 = 6: 128 / 19 = 6.7368
# limits 5.25 +/- 2.66 x 6.7368 = -12.67 .. 23.17; close beyond 5.25 +/- 11.95: no point is either
# Points 12..18 (6, 7, ...) are 7 in a row above 5.25 (point 11 is 0, point 19 is 0): a run.
RUN7 = [10.0, 0.0] * 6 + [6.0, 7.0, 6.0, 7.0, 6.0, 7.0, 6.0] + [0.0]


def test_a_run_of_seven_on_one_side() -> None:
    c = chart(RUN7)
    p = c.points[0]
    assert (p.mean, p.lower, p.upper) == pytest.approx((5.25, 5.25 - 2.66 * 128 / 19, 5.25 + 2.66 * 128 / 19))  # fmt: skip
    assert flagged(c) == dict.fromkeys(range(12, 19), "special_cause_improvement")
    assert all(c.points[i].rules == ("run",) for i in range(12, 19))
    assert c.variation == "common_cause"  # the latest point, 0, is not flagged
    assert flagged(chart(RUN7, "lower")) == dict.fromkeys(range(12, 19), "special_cause_concern")


def test_six_in_a_row_is_not_a_run() -> None:
    # one 7 fewer: 6 points above the mean (mean 98 / 19 = 5.16; still no limit is reached)
    assert flagged(chart([10.0, 0.0] * 6 + [6.0, 7.0, 6.0, 7.0, 6.0, 6.0] + [0.0])) == {}


# ---- a trend of 7 crossing the mean ------------------------------------------------------------
# 0, 10 six times (ending on 10), then 1, 2, 3, 4, 5, 6, 7, then 0 (20 points).
# mean = (60 + 28 + 0) / 20 = 4.4; moving ranges 11 of 10, 10->1 = 9, six of 1, 7->0 = 7:
# 132 / 19 = 6.947; limits 4.4 +/- 18.48; close beyond 4.4 +/- 12.32: none.
# 1 .. 7 is seven points each higher than the one before: a trend. 1..4 lie below the mean, but
# NHSRplotthedots types a trend by its direction, so all seven are improvement (higher is better).
TREND7 = [0.0, 10.0] * 6 + [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] + [0.0]


def test_a_trend_of_seven_is_typed_by_its_direction() -> None:
    c = chart(TREND7)
    assert c.points[0].mean == pytest.approx(4.4)
    assert c.points[0].upper == pytest.approx(4.4 + 2.66 * 132 / 19)
    assert flagged(c) == dict.fromkeys(range(12, 19), "special_cause_improvement")
    assert all(c.points[i].rules == ("trend",) for i in range(12, 19))
    assert flagged(chart(TREND7, "lower")) == dict.fromkeys(range(12, 19), "special_cause_concern")


def test_the_icon_of_a_series_ending_in_a_trend() -> None:
    # Without the last 0 the latest point ends the rising trend (the rule needs no limits).
    rising = TREND7[:-1]
    higher, lower = chart(rising, "higher"), chart(rising, "lower")
    # ptd_get_icons: improvement_high where higher is better; concern_high where lower is better
    assert (higher.variation, higher.variation_side) == ("improvement", "high")
    assert (lower.variation, lower.variation_side) == ("concern", "high")
    neither = chart(rising, "neither")
    assert (neither.variation, neither.variation_side) == ("neutral", "high")


# ---- two of three close to a limit -------------------------------------------------------------
# 4, 6 seven times, then 10.5, 6.5, 10.5, then 4, 6, 4 (20 points).
# mean = (70 + 27.5 + 14) / 20 = 111.5 / 20 = 5.575
# moving ranges: 13 of 2, 6->10.5 = 4.5, 4, 4, 10.5->4 = 6.5, 2, 2: 49 / 19 = 2.5789
# upper limit 5.575 + 2.66 x 2.5789 = 12.435; close above 5.575 + 1.7733 x 2.5789 = 10.148.
# 10.5, 6.5, 10.5: all above the mean, two close (10.148 < 10.5 < 12.435): points 14 and 16 are
# flagged; 6.5 (point 15) is not close, so not flagged. The run above is 6, 10.5, 6.5, 10.5: 4.
TWO_IN_THREE = [4.0, 6.0] * 7 + [10.5, 6.5, 10.5] + [4.0, 6.0, 4.0]


def test_two_of_three_close_to_a_limit() -> None:
    c = chart(TWO_IN_THREE)
    p = c.points[0]
    assert p.mean == pytest.approx(5.575)
    assert p.upper == pytest.approx(5.575 + 2.66 * 49 / 19)
    assert p.near_upper == pytest.approx(5.575 + 2.66 * 2 / 3 * 49 / 19)
    assert flagged(c) == {14: "special_cause_improvement", 16: "special_cause_improvement"}
    assert c.points[14].rules == ("two_of_three",)


def test_assurance_from_the_latest_limits() -> None:
    # TWO_IN_THREE's limits: 5.575 -/+ 6.86 -> -1.285 .. 12.435
    assert chart(TWO_IN_THREE, "higher", target=13).assurance == "fail"  # above the upper limit
    assert chart(TWO_IN_THREE, "higher", target=-2).assurance == "pass"  # below the lower limit
    assert chart(TWO_IN_THREE, "higher", target=2).assurance == "inconsistent"
    assert chart(TWO_IN_THREE, "lower", target=13).assurance == "pass"
    assert chart(TWO_IN_THREE, "neither", target=13).assurance == "none"


def test_a_point_outside_does_not_count_towards_two_in_three() -> None:
    # 2, 12 seven times, then 44, 14, 60, then 2, 12, 2 (20 points).
    # mean = (98 + 44 + 14 + 60 + 16) / 20 = 232 / 20 = 11.6
    # moving ranges 13 of 10, 12->44 = 32, 30, 46, 58, 10, 10: 316 / 19 = 16.632
    # upper limit 11.6 + 2.66 x 16.632 = 55.84; close above 11.6 + 1.7733 x 16.632 = 41.09.
    # 44, 14, 60 lie above the mean; 44 is close, 60 outside. NHSRplotthedots' close_to_limits
    # leaves out a point outside, so the window has one close point: only 60 is flagged.
    c = chart([2.0, 12.0] * 7 + [44.0, 14.0, 60.0] + [2.0, 12.0, 2.0])
    assert c.points[0].mean == pytest.approx(11.6)
    assert c.points[0].upper == pytest.approx(11.6 + 2.66 * 316 / 19)
    assert flagged(c) == {16: "special_cause_improvement"}
    assert c.points[16].rules == ("outside",)


# ---- a recalculation ---------------------------------------------------------------------------
# 4, 6 six times, then 14, 16 six times (24 points).
# Whole series: mean 10; moving ranges 22 of 2 and 6->14 = 8: 52 / 23 = 2.261; limits 10 -/+ 6.01:
# 12 in a row below then 12 above the mean, every point special cause.
# Recalculated from the 13th point (p12): each stretch has mean 5 and 15, moving range 2, limits
# 5 -/+ 5.32 and 15 -/+ 5.32: no point special cause. 12 points each: trial limits (< 13).
STEP = [4.0, 6.0] * 6 + [14.0, 16.0] * 6


def test_a_recalculation_gives_each_stretch_its_own_limits() -> None:
    whole = chart(STEP, "lower")
    assert whole.points[0].upper == pytest.approx(10 + 2.66 * 52 / 23)
    assert set(flagged(whole)) == set(range(24))
    assert {whole.points[i].type for i in range(12)} == {"special_cause_improvement"}
    assert {whole.points[i].type for i in range(12, 24)} == {"special_cause_concern"}
    assert (whole.variation, whole.variation_side) == ("concern", "high")
    rebased = chart(STEP, "lower", rebase=["p12"])
    first, second = rebased.points[0], rebased.points[12]
    assert (first.mean, first.lower, first.upper) == pytest.approx((5, -0.32, 10.32))
    assert (second.mean, second.lower, second.upper) == pytest.approx((15, 9.68, 20.32))
    assert flagged(rebased) == {}
    assert rebased.variation == "common_cause" and first.trial and second.trial


def test_a_fixed_baseline_extends_the_first_points_limits() -> None:
    # Limits on the first 12 points (mean 5, limits -0.32 .. 10.32), extended: every later point
    # (14, 16) is above the upper limit, so special cause: concern where lower is better. The 12th
    # point (6) is above the mean 5 too, starting a run of 13 above it: flagged by the run.
    fixed = chart(STEP, "lower", fix_after=12)
    assert fixed.fixed_after == 12
    assert (fixed.points[23].mean, fixed.points[23].upper) == pytest.approx((5, 10.32))
    assert flagged(fixed) == dict.fromkeys(range(11, 24), "special_cause_concern")
    assert fixed.points[11].rules == ("run",)
    assert all("outside" in fixed.points[i].rules for i in range(12, 24))
