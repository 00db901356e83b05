"""SPC (XmR) per NHS England's Making Data Count, as NHSRplotthedots 0.2 implements it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.measures.domain.spc import SpcChart, assurance, xmr


def chart(values: list[float], direction: str = "higher", **options: object) -> SpcChart:
    return xmr([(f"p{i:02d}", v) for i, v in enumerate(values)], direction, **options)  # type: ignore[arg-type]


def rules_fired(c: SpcChart) -> set[str]:
    return {rule for p in c.points for rule in p.rules}


def flagged(c: SpcChart) -> list[int]:
    return [i for i, p in enumerate(c.points) if p.rules]


# NHSRplotthedots' own test data: tests/testthat/test-ptd_spc_standard.R uses
# set.seed(123); y = rnorm(20); its snapshot tests/testthat/_snaps/ptd_spc_standard.md (commit
# ea2177d4) records mean 0.1416238, lpl -3.01138, upl 3.294627, all points common cause; with
# y[15] <- 10, screened: mean 0.6694159, lpl -2.383666, upl 3.722497; unscreened: lpl -4.596625,
# upl 5.935457. The y values are R's rnorm(20) under seed 123, as that snapshot's glimpse shows.
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_nhsrplotthedots_documented_limits() -> None:
    c = chart(RNORM_123, screen_outliers=True)
    first = c.points[0]
    assert first.mean == pytest.approx(0.1416238, abs=5e-8)
    assert first.lower == pytest.approx(-3.01138, abs=5e-6)
    assert first.upper == pytest.approx(3.294627, abs=5e-7)
    assert {p.type for p in c.points} == {"common_cause"}
    assert c.variation == "common_cause"
    assert chart(RNORM_123).points[0].upper == first.upper  # no outlying ranges to screen


def test_nhsrplotthedots_documented_screening() -> None:
    y = list(RNORM_123)
    y[14] = 10  # R's y[15] <- 10
    screened = chart(y, screen_outliers=True).points[0]
    assert screened.mean == pytest.approx(0.6694159, abs=5e-8)
    assert screened.lower == pytest.approx(-2.383666, abs=5e-7)
    assert screened.upper == pytest.approx(3.722497, abs=5e-7)
    unscreened = chart(y).points[0]  # off by default, as in the NHS England tool
    assert unscreened.lower == pytest.approx(-4.596625, abs=5e-7)
    assert unscreened.upper == pytest.approx(5.935457, abs=5e-7)


def test_nhsrplotthedots_two_close_points_on_opposite_sides_are_common_cause() -> None:
    # test-ptd_spc_standard.R: 1, -1 alternating x 8, then 5.5 and -5.5 at rows 15 and 16
    y = [1.0, -1.0] * 8
    y[14], y[15] = 5.5, -5.5
    c = chart(y, "higher")
    assert [p.type for p in c.points[-2:]] == ["common_cause", "common_cause"]


def test_limits_hand_computed() -> None:
    # 10, 12, 11, 13, 14: mean 60/5 = 12; moving ranges 2, 1, 2, 1 -> mean 1.5;
    # limits 12 -/+ 2.66 x 1.5 = 8.01 and 15.99; two-thirds 12 -/+ 1.773.. x 1.5 = 9.34, 14.66
    c = chart([10, 12, 11, 13, 14])
    p = c.points[0]
    assert (p.mean, p.lower, p.upper) == pytest.approx((12, 8.01, 15.99))
    assert (p.near_lower, p.near_upper) == pytest.approx((9.34, 14.66))
    assert p.trial  # 5 points: fewer than 13


BASE = [10.0, 12.0] * 5  # alternates about the mean: no run, no trend, moving range 2


@pytest.mark.parametrize(
    ("name", "values", "options", "expected"),
    [
        # one point far above: only it is special
        ("outside", [*BASE, 30, *[12, 10] * 4], {}, [10]),
        # after a 12 (above), seven close to the mean but above it: 8 in a row above
        ("run", [*BASE, *[11.5, 11.6] * 3, 11.5, *[10, 12] * 3], {}, list(range(9, 17))),
        # seven points each higher than the one before, crossing the mean
        ("trend", [*BASE, 10.0, 10.4, 10.8, 11.2, 11.6, 12.0, 12.4, *[10, 12] * 3], {}, list(range(10, 17))),
        # 17, 12.5, 17: all above the mean (11.64), two beyond two-thirds (16.34), inside 18.69
        ("two_of_three", [*BASE, 17, 12.5, 17, *[10, 12] * 4], {}, [10, 12]),
        # after a 10 (below), six above: a run only when the run length is 6
        ("run", [*[12, 10] * 5, *[11.5, 11.6] * 3, *[10, 12] * 3], {"run_length": 6}, list(range(10, 16))),
        # six points each higher: a trend only when the length is 6
        ("trend", [*BASE, 10.0, 10.4, 10.8, 11.2, 11.6, 12.0, *[10, 12] * 3], {"run_length": 6}, list(range(10, 16))),
    ],
)  # fmt: skip
def test_each_rule_alone(name: str, values: list[float], options: dict[str, int], expected: list[int]) -> None:  # fmt: skip
    c = chart(values, **options)
    assert rules_fired(c) == {name}
    assert flagged(c) == expected


def test_length_six_patterns_are_common_cause_at_seven() -> None:
    run6 = [*[12, 10] * 5, *[11.5, 11.6] * 3, *[10, 12] * 3]
    trend6 = [*BASE, 10.0, 10.4, 10.8, 11.2, 11.6, 12.0, *[10, 12] * 3]
    assert rules_fired(chart(run6)) == set()
    assert rules_fired(chart(trend6)) == set()


def test_point_types_follow_direction() -> None:
    values = [*BASE, 30, *[12, 10] * 4]
    assert chart(values, "higher").points[10].type == "special_cause_improvement"
    assert chart(values, "lower").points[10].type == "special_cause_concern"
    assert chart(values, "neither").points[10].type == "special_cause_neutral"
    low = [*BASE, 5, 9.5, 5, *[10, 12] * 4]  # two of three near the lower limit
    assert chart(low, "higher").points[10].type == "special_cause_concern"
    assert chart(low, "lower").points[10].type == "special_cause_improvement"


def test_variation_icon_from_latest_point() -> None:
    assert chart([*BASE, 30], "higher").variation == "improvement"
    assert chart([*BASE, 30], "higher").variation_side == "high"
    assert chart([*BASE, 30], "lower").variation == "concern"
    assert chart([*BASE, 30], "neither").variation == "neutral"
    assert chart([*BASE, 30, 11], "higher").variation == "common_cause"


def test_assurance() -> None:
    # limits of this series: 12 -/+ 3.99 -> 8.01 .. 15.99
    values = [10, 12, 11, 13, 14]
    assert chart(values, "higher", target=17).assurance == "fail"
    assert chart(values, "higher", target=7).assurance == "pass"
    assert chart(values, "higher", target=Decimal("12.5")).assurance == "inconsistent"
    assert chart(values, "lower", target=17).assurance == "pass"
    assert chart(values, "lower", target=7).assurance == "fail"
    assert chart(values, "neither", target=17).assurance == "none"
    assert chart(values, "higher").assurance == "none"
    assert assurance(15.99, 8.01, 15.99, "higher") == "inconsistent"  # on a limit is inside


def test_rebasing_gives_each_segment_its_own_limits() -> None:
    first = [10, 12, 11, 13, 14]  # mean 12, mean moving range 1.5
    second = [20, 24, 22, 26, 28]  # mean 24, mean moving range 3 (the jump 14 -> 20 is not used)
    series = [(f"2024-{i:02d}", v) for i, v in enumerate(first + second, start=1)]
    c = xmr(series, "higher", rebase=["2024-06"])
    assert {p.segment for p in c.points[:5]} == {0} and {p.segment for p in c.points[5:]} == {1}
    assert (c.points[0].mean, c.points[0].upper) == pytest.approx((12, 15.99))
    assert (c.points[5].mean, c.points[5].lower, c.points[5].upper) == pytest.approx(
        (24, 24 - 7.98, 24 + 7.98)
    )
    whole = xmr(series, "higher")
    assert whole.points[0].mean == pytest.approx(18)


def test_trial_limits_below_thirteen_points() -> None:
    assert all(p.trial for p in chart([10, 12] * 6).points)  # 12 points
    assert not any(p.trial for p in chart([10, 12] * 6 + [11]).points)  # 13 points
    series = [(f"p{i:02d}", v) for i, v in enumerate([10, 12] * 10)]
    rebased = xmr(series, "higher", rebase=["p15"])
    assert not rebased.points[0].trial and rebased.points[-1].trial  # 15 and 5 points


def test_fix_after_uses_the_first_points_only() -> None:
    values = [10.0, 12.0] * 6 + [100.0]
    fixed = chart(values, fix_after=12)
    assert fixed.points[0].mean == pytest.approx(11)
    assert fixed.points[-1].rules == ("outside",)


def test_screening_drops_only_outlying_moving_ranges() -> None:
    # hand-built (the documented example is above): moving ranges [2]*9 + [40, 40]: mean 7.27; 40 >= 3.267 x 7.27 = 23.8 is screened
    values = [10.0, 12.0] * 5 + [52.0, 12.0]
    plain = chart(values).points[0]
    screened = chart(values, screen_outliers=True).points[0]
    mean = sum(values) / len(values)
    assert plain.upper == pytest.approx(mean + 2.66 * (2 * 9 + 80) / 11)
    assert screened.upper == pytest.approx(mean + 2.66 * 2)


@pytest.mark.parametrize(
    ("series", "options", "field", "row"),
    [
        ([("a", 1), ("a", 2)], {}, "period", 2),
        ([("a", 1), ("b", float("nan"))], {}, "value", 2),
        ([], {}, "value", None),
        ([("a", 1)], {"run_length": 5}, "run_length", None),
        ([("a", 1)], {"rebase": ["zz"]}, "rebase", None),
    ],
)
def test_bad_input(series: list[tuple[str, float]], options: dict[str, object], field: str, row: int | None) -> None:  # fmt: skip
    with pytest.raises(InputError) as caught:
        xmr(series, "higher", **options)  # type: ignore[arg-type]
    assert caught.value.field == field and caught.value.row == row


def test_decimal_values_accepted() -> None:
    c = xmr([("a", Decimal("1.5")), ("b", Decimal("2.5"))], "lower")
    assert c.points[0].mean == 2.0
