"""An independent Python reading of NHSRplotthedots 0.2.2's rules, for comparison only.

Written from the package's R source (github.com/nhs-r-community/NHSRplotthedots, R/):
`ptd_spc_standard.R` (mean, moving ranges, screening, limits, `outside_limits`,
`relative_to_mean`, `close_to_limits`), `ptd_calculate_point_type.R` (`ptd_seven_point_one_side_mean`,
`ptd_part_of_seven_trend`, `ptd_seven_point_trend`, `ptd_two_in_three`,
`ptd_part_of_two_in_three`, `ptd_special_cause_type`, `ptd_point_type`) and
`ptd_calculate_assurance_type.R`. Each function below follows the R function of the same name,
with R's 1-based indexing and zero padding kept, so it can be read against the source line by
line. It shares no code with `placeplan.measures.domain.spc` (no numpy either).

R's NA: where screening leaves no moving range (every range zero), R's `mean(numeric(0))` is NaN,
so the limits are NaN; every comparison with them is NA, which `case_when` treats as false. Here
NaN comparisons are false in the same way.

R's `mean()` accumulates in long double and corrects the result with a second pass, which gives
the correctly rounded mean for any series of sensible length; the exact mean (by fractions) rounded
once stands in for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)


def r_mean(values: list[float]) -> float:
    if not values:
        return math.nan
    return float(sum((Fraction(v) for v in values), Fraction(0)) / len(values))


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


@dataclass(frozen=True)
class RPoint:
    y: float
    mean: float
    lpl: float
    upl: float
    special_cause_type: str
    point_type: str
    trend_step: int  # R's `sdy`: the sign of the step that gives a trend point its direction


def spc_standard(y: list[float], screen_outliers: bool) -> list[dict[str, float | bool | int]]:
    """`ptd_spc_standard` for one rebase group (no facet, no fixed baseline)."""
    mean_col = r_mean(y)
    mr = [abs(y[i] - y[i - 1]) for i in range(1, len(y))]  # R: c(NA, abs(diff(fix_y)))
    amr = r_mean(mr)
    if screen_outliers:
        mr = [m for m in mr if m < 3.267 * amr]
        amr = r_mean(mr)
    lpl, upl = mean_col - LIMIT * amr, mean_col + LIMIT * amr
    nlpl, nupl = mean_col - LIMIT_CLOSE * amr, mean_col + LIMIT_CLOSE * amr
    rows = []
    for v in y:
        outside = v > upl or v < lpl  # NaN limits: both false
        rows.append(
            {
                "y": v,
                "mean": mean_col,
                "lpl": lpl,
                "upl": upl,
                "outside_limits": outside,
                "relative_to_mean": sign(v - mean_col),
                "close_to_limits": (not outside) and (v < nlpl or v > nupl),
            }
        )
    return rows


def seven_point_one_side_mean(v: list[int]) -> list[int]:
    vp = [0] * 6 + v
    out = []
    for i in range(7, len(v) + 7):  # R: seq_along(v) + 6, 1-based
        current = vp[i - 1]
        out.append(int(all(current == vp[i - 1 - k] for k in range(1, 7)) and current != 0))
    return out


def part_of_seven_trend(v: list[int]) -> list[int]:
    vp = v + [0] * 6
    return [int(any(abs(vp[i - 1 + k]) == 1 for k in range(7))) for i in range(1, len(v) + 1)]


def seven_point_trend(y: list[float]) -> list[int]:
    if len(y) < 7:
        return [0] * len(y)
    out = [0] * 6
    for i in range(7, len(y) + 1):
        window = [y[i - 1 - k] for k in range(7)]  # y[i - 0:6]: latest first
        d = [-sign(window[k + 1] - window[k]) for k in range(6)]
        out.append(1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0)
    return out


def two_in_three(v: list[int], rtm: list[int]) -> list[int]:
    vp = [0, 0] + v + [0, 0]
    rtmp = [0, 0] + rtm + [0, 0]

    def window(start: int) -> bool:  # R's vp[start + 0:2], 1-based
        close = sum(vp[start - 1 : start + 2])
        return close >= 2 and abs(sum(rtmp[start - 1 : start + 2])) == 3

    return [int(window(i) or window(i + 1) or window(i + 2)) for i in range(1, len(v) + 1)]


def part_of_two_in_three(v: list[int], x: list[int]) -> list[int]:
    return [int(a == 1 and abs(b) == 1) for a, b in zip(v, x, strict=True)]


def special_cause_type(
    y: list[float], rtm: list[int], close: list[int], outside: list[bool]
) -> tuple[list[str], list[int]]:
    part_trend = part_of_seven_trend(seven_point_trend(y))
    part_two = part_of_two_in_three(two_in_three(close, rtm), close)
    part_run = part_of_seven_trend(seven_point_one_side_mean(rtm))
    n = len(y)
    diffs = [sign(y[i + 1] - y[i]) for i in range(n - 1)]
    # if a point is part of a trend either side, use the right side
    sdy = []
    for i in range(n):
        following = part_trend[i + 1] if i + 1 < n else 0
        if following and part_trend[i]:
            sdy.append((diffs + diffs[-1:])[i])
        else:
            sdy.append(([0] + diffs)[i])
    types = []
    for i in range(n):
        above_or_below = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            types.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif part_trend[i]:
            types.append(f"7 Point Trend ({'In' if sdy[i] == 1 else 'De'}creasing)")
        elif part_two[i]:
            types.append(f"2 in 3 {above_or_below} CL")
        elif part_run[i]:
            types.append(f"7 Points {above_or_below} CL")
        else:
            types.append("Common Cause")
    return types, sdy


def point_type(kind: str, improvement_direction: int) -> str:
    v = (
        1
        if ("Above" in kind or "Increasing" in kind)
        else -1
        if ("Below" in kind or "Decreasing" in kind)
        else 0
    )
    if improvement_direction == 0:
        return {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}.get(
            v, "common_cause"
        )
    v *= improvement_direction
    return {1: "special_cause_improvement", -1: "special_cause_concern"}.get(v, "common_cause")


def assurance_type(last: RPoint, target: float | None, improvement_direction: int) -> str | None:
    if target is None or improvement_direction == 0:
        return None
    increasing = improvement_direction == 1
    if target > last.upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < last.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def ptd_spc(
    y: list[float],
    improvement_direction: int,
    *,
    target: float | None = None,
    screen_outliers: bool = True,
    rebase_at: tuple[int, ...] = (),
) -> tuple[list[RPoint], str | None]:
    """The points and assurance of `ptd_spc(..., improvement_direction, target, screen_outliers,
    rebase)`, with new groups starting at the 0-based positions `rebase_at`."""
    starts = sorted({0, *rebase_at}) + [len(y)]
    points: list[RPoint] = []
    for begin, end in zip(starts[:-1], starts[1:], strict=True):
        rows = spc_standard(y[begin:end], screen_outliers)
        kinds, steps = special_cause_type(
            [float(r["y"]) for r in rows],
            [int(r["relative_to_mean"]) for r in rows],
            [int(bool(r["close_to_limits"])) for r in rows],
            [bool(r["outside_limits"]) for r in rows],
        )
        for r, kind, step in zip(rows, kinds, steps, strict=True):
            points.append(
                RPoint(
                    float(r["y"]),
                    float(r["mean"]),
                    float(r["lpl"]),
                    float(r["upl"]),
                    kind,
                    point_type(kind, improvement_direction),
                    step,
                )
            )
    return points, assurance_type(points[-1], target, improvement_direction)
