"""XmR charts as NHS England's Making Data Count specifies and NHSRplotthedots 0.2 implements.

For each segment (the whole series, or the stretch between chosen rebase periods): the mean; the
mean moving range (optionally screened of moving ranges at or above 3.267 x itself); process limits
at mean +/- 2.66 x mean moving range; "close to a limit" beyond two-thirds of the way
(mean +/- 1.773 x mean moving range). Special cause, within a segment, for any of:

- ``outside``: a point above the upper or below the lower limit;
- ``run``: N points in a row on the same side of the mean (N is 7, or 6);
- ``trend``: N points each higher (or each lower) than the one before;
- ``two_of_three``: 2 of 3 consecutive points close to a limit (beyond two-thirds of the way but
  not outside it), all three on the same side of the mean; the close points are flagged. This is
  NHSRplotthedots' `ptd_two_in_three` (a point outside the limits is flagged by `outside` and does
  not count towards two-in-three).

Three choices on awkward data (docs/measures.md lists them, and where placeplan departs from
NHSRplotthedots 0.2.2 and why):

- the mean is the exact mean of the values, rounded once (not a running float sum, which puts
  twelve 0.1s' mean at 0.10000000000000002 and every point "above" it); a point within a
  relative 1e-9 of the mean counts as on it, so it breaks a run on either side;
- a segment whose mean moving range is zero (every value the same) has no limits: nothing is
  outside them or close to them, and assurance against a target is "inconsistent", as
  NHSRplotthedots gives when its screening leaves no range to average (unscreened, it draws
  limits on the mean);
- moving-range screening is off by default, as in NHS England's Making Data Count Excel tool
  (NHSRplotthedots screens by default); the chart says which (`SpcChart.screened`).

NHSRplotthedots fixes both the run and the trend at 7 points (`ptd_seven_point_one_side_mean`,
`ptd_seven_point_trend`); 7 is the default here, 6 an option some trusts use. A flagged point is
improvement or concern by the first rule that flags it, in NHSRplotthedots' order
(`ptd_special_cause_type`): outside the limits and two-in-three and a run by the side of the mean
it lies on; a trend by the trend's direction (so a rising trend that crosses the mean is one colour
throughout); neutral when the measure has no direction. Periods are opaque labels, taken in the order
given (the series must already be in time order); values are floats: SPC statistics are not money.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Literal, NamedTuple

import numpy as np

from placeplan.core.errors import InputError

Direction = Literal["higher", "lower", "neither"]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral",
]
Variation = Literal["common_cause", "improvement", "concern", "neutral"]
Assurance = Literal["pass", "fail", "inconsistent", "none"]

LIMIT = 2.66
CLOSE = 2 * LIMIT / 3  # 1.7733...
SCREEN = 3.267
TRIAL_BELOW = 13
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower", "neither")
RUN_LENGTHS = (6, 7)


class SpcPoint(NamedTuple):  # a tuple, not a dataclass: 90,000 of them must be cheap to make
    period: str
    value: float
    mean: float
    lower: float | None  # None: the segment's mean moving range is zero, so it has no limits
    upper: float | None
    near_lower: float | None
    near_upper: float | None
    segment: int
    trial: bool  # the segment's limits rest on fewer than 13 points
    type: PointType
    rules: tuple[str, ...]  # which special-cause rules flag this point, in a fixed order


@dataclass(frozen=True)
class SpcChart:
    points: tuple[SpcPoint, ...]
    direction: Direction
    target: float | None
    variation: Variation
    variation_side: Literal["high", "low", "none"]  # the latest point's side, for the icon
    assurance: Assurance
    fixed_after: int | None = None  # limits from each segment's first n points, extended
    screened: bool = False  # moving ranges >= 3.267 x their mean left out of the limits

    def as_dict(self) -> dict[str, object]:
        """The shape `placeplan spc --format json` prints."""
        return {
            "points": [
                {
                    "period": p.period,
                    "value": p.value,
                    "mean": p.mean,
                    "lower": p.lower,
                    "upper": p.upper,
                    "type": p.type,
                }
                for p in self.points
            ],
            "variation": self.variation,
            "assurance": self.assurance,
            "moving_range_screening": "on" if self.screened else "off",
        }


def _as_float(value: float | int | Decimal, row: int) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise InputError(f"value {value!r} is not a finite number", field="value", row=row)
    return number


def _spread(windows: np.ndarray, length: int, n: int) -> np.ndarray:
    """Marks every point covered by a window of `length` that starts where `windows` is True."""
    marked = np.zeros(n, dtype=bool)
    for offset in range(length):
        marked[offset : offset + windows.shape[0]] |= windows
    return marked


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """Marks every point that belongs to a window of `length` consecutive True flags."""
    n = flags.shape[0]
    if n < length:
        return np.zeros(n, dtype=bool)
    counts = np.convolve(flags.astype(np.int64), np.ones(length, dtype=np.int64), mode="valid")
    return _spread(counts == length, length, n)


ON_MEAN = 1e-9  # relative: a point this close to the mean is on it


def exact_mean(values: Sequence[float]) -> float:
    """The mean of `values` worked in 200 significant digits (every float converts to a decimal
    exactly, so the sum is exact for any real series) and rounded once to the nearest float."""
    with localcontext() as context:
        context.prec = 200
        return float(sum(map(Decimal, values), Decimal(0)) / len(values))


def sides(y: np.ndarray, mean: float) -> np.ndarray:
    """+1 above the mean, -1 below, 0 on it (within a relative 1e-9)."""
    side = np.sign(y - mean)
    side[np.abs(y - mean) <= ON_MEAN * abs(mean)] = 0.0
    return side


def _segment_rules(
    y: np.ndarray, mean: float, amr: float, run_length: int, trend_length: int
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    side = sides(y, mean)
    if amr > 0:
        upper, lower = mean + LIMIT * amr, mean - LIMIT * amr
        near_upper, near_lower = mean + CLOSE * amr, mean - CLOSE * amr
        outside = (y > upper) | (y < lower)
        close = ~outside & ((y > near_upper) | (y < near_lower))
    else:  # no limits: nothing is outside or close to them
        outside = np.zeros_like(y, dtype=bool)
        close = np.zeros_like(y, dtype=bool)

    run = _runs(side > 0, run_length) | _runs(side < 0, run_length)

    diffs = np.diff(y)
    # a trend of N points is N - 1 steps each up (or each down); a point takes the direction of
    # the trend step after it, or at a trend's end the step before it (NHSRplotthedots 0.2.2),
    # so a point shared by a rising and a falling trend belongs to the later one
    steps = np.where(
        _runs(diffs > 0, trend_length - 1),
        1.0,
        np.where(_runs(diffs < 0, trend_length - 1), -1.0, 0.0),
    )
    after = np.append(steps, 0.0)
    before = np.insert(steps, 0, 0.0)
    trend_dir = np.where(after != 0, after, before)
    trend = trend_dir != 0

    two = np.zeros_like(y, dtype=bool)
    if y.shape[0] >= 3:
        three = np.ones(3, dtype=np.int64)
        enough = np.convolve(close.astype(np.int64), three, mode="valid") >= 2
        for same_side in (side > 0, side < 0):
            all_same = np.convolve(same_side.astype(np.int64), three, mode="valid") == 3
            two |= _spread(all_same & enough, 3, y.shape[0]) & close

    # NHSRplotthedots' precedence: outside, then trend (its direction), then the side of the mean
    signal = np.where(outside, side, np.where(trend, trend_dir, side))
    return {"outside": outside, "run": run, "trend": trend, "two_of_three": two}, signal


def _point_type(signal: float, direction: Direction) -> PointType:
    if direction == "neither" or signal == 0:
        return "special_cause_neutral"
    improving = (signal > 0) == (direction == "higher")
    return "special_cause_improvement" if improving else "special_cause_concern"


_VARIATION: dict[PointType, Variation] = {
    "common_cause": "common_cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral": "neutral",
}


def assurance(
    target: float | None, lower: float | None, upper: float | None, direction: Direction
) -> Assurance:
    """Whether the process will consistently meet a target, from the latest segment's limits
    (with no limits, "inconsistent": nothing says the target is always or never met)."""
    if target is None or direction == "neither":
        return "none"
    if lower is None or upper is None or lower <= target <= upper:
        return "inconsistent"
    above = target > upper
    if direction == "higher":
        return "fail" if above else "pass"
    return "pass" if above else "fail"


def xmr(
    series: Sequence[tuple[str, float | int | Decimal]],
    direction: Direction = "neither",
    *,
    target: float | int | Decimal | None = None,
    rebase: Iterable[str] = (),
    run_length: int = 7,
    trend_length: int | None = None,
    screen_outliers: bool = False,
    fix_after: int | None = None,
) -> SpcChart:
    """The XmR chart of `series`, a time-ordered sequence of (period, value).

    `rebase` names the periods at which a new segment, with its own mean and limits, starts.
    `fix_after` computes each segment's limits from its first n points only (at least 12).
    Rows in errors count from 1, the first pair in `series`.

    One piece: the segments' limits, the four special-cause rules and the point types read the
    same arrays in sequence, as Making Data Count sets them out.
    """
    if direction not in DIRECTIONS:
        raise InputError(f"direction must be one of {', '.join(DIRECTIONS)}", field="direction")
    trend_length = run_length if trend_length is None else trend_length
    for name, length in (("run_length", run_length), ("trend_length", trend_length)):
        if length not in RUN_LENGTHS:
            raise InputError(f"{name} must be 6 or 7, not {length}", field=name)
    if fix_after is not None and fix_after < 12:
        raise InputError("limits may be fixed after 12 points or more", field="fix_after")
    if not series:
        raise InputError("an SPC chart needs at least one point", field="value")

    periods: list[str] = []
    seen: set[str] = set()
    values: list[float] = []
    for row, (period, value) in enumerate(series, start=1):
        if period in seen:
            raise InputError(f"period {period} appears more than once", field="period", row=row)
        seen.add(period)
        periods.append(period)
        values.append(_as_float(value, row))
    target_value = None if target is None else float(target)

    starts = {0}
    index = {period: i for i, period in enumerate(periods)}
    for period in rebase:
        if period not in index:
            raise InputError(f"rebase period {period} is not in the series", field="rebase")
        starts.add(index[period])
    bounds = sorted(starts) + [len(periods)]

    y_all = np.asarray(values, dtype=float)
    points: list[SpcPoint] = []
    lower: float | None = None
    upper: float | None = None
    for segment, (begin, end) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        y = y_all[begin:end]
        basis = y if fix_after is None else y[:fix_after]
        mean = exact_mean(basis.tolist())
        moving = np.abs(np.diff(basis))
        amr = exact_mean(moving.tolist()) if moving.size else 0.0
        if screen_outliers and moving.size:
            kept = moving[moving < SCREEN * amr]
            amr = exact_mean(kept.tolist()) if kept.size else 0.0
        limited = amr > 0
        lower = mean - LIMIT * amr if limited else None
        upper = mean + LIMIT * amr if limited else None
        near_lower = mean - CLOSE * amr if limited else None
        near_upper = mean + CLOSE * amr if limited else None
        trial = basis.shape[0] < TRIAL_BELOW
        flags, signal = _segment_rules(y, mean, amr, run_length, trend_length)
        names = list(flags)
        columns = [flags[name].tolist() for name in names]
        signs = signal.tolist()
        latest_signal = signs[-1]
        for offset in range(end - begin):
            rules = tuple(
                name for name, column in zip(names, columns, strict=True) if column[offset]
            )
            kind: PointType = _point_type(signs[offset], direction) if rules else "common_cause"
            points.append(
                SpcPoint(
                    period=periods[begin + offset],
                    value=values[begin + offset],
                    mean=mean,
                    lower=lower,
                    upper=upper,
                    near_lower=near_lower,
                    near_upper=near_upper,
                    segment=segment,
                    trial=trial,
                    type=kind,
                    rules=rules,
                )
            )

    latest = points[-1]
    side: Literal["high", "low", "none"] = (
        "none" if latest.type == "common_cause" else ("high" if latest_signal > 0 else "low")
    )
    return SpcChart(
        points=tuple(points),
        direction=direction,
        target=target_value,
        variation=_VARIATION[latest.type],
        variation_side=side,
        assurance=assurance(target_value, lower, upper, direction),
        fixed_after=fix_after,
        screened=screen_outliers,
    )
