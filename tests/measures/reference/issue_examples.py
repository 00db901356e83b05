"""The smallest SPC examples of issue 18, with the answer NHSRplotthedots 0.2.2 gives, worked by
hand below (the reference in `plotthedots.py` gives the same; `test_issue_examples.py` checks both).
Indices count from 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    name: str
    values: list[float]
    direction: str
    target: float | None
    types: dict[int, str]  # every special-cause point and its type; the rest common cause
    assurance: str
    limits: bool = True
    mean: float | None = None
    screen: bool = field(default=True)  # NHSRplotthedots' default, as the issue compared


IMP, CON = "special_cause_improvement", "special_cause_concern"

EXAMPLES = [
    # 1..12: mean 6.5, moving range 1, limits 3.84..9.16. 1, 2, 3 below the lower limit (concern,
    # higher is better), 10, 11, 12 above it; 4..9 (indices 3..8) inside a rising trend of 12:
    # improvement by the trend's direction though 4, 5, 6 lie below the mean.
    Example("rising trend", [float(v) for v in range(1, 13)], "higher", None,
            {0: CON, 1: CON, 2: CON, **dict.fromkeys(range(3, 9), IMP), 9: IMP, 10: IMP, 11: IMP},
            "none", mean=6.5),
    # [18, 10] x 5 then 5..11: mean 196 / 17 = 11.53; moving ranges 9 of 8, 5, six of 1: 83 / 16
    # = 5.19 (none screened: 3.267 x 5.19 = 16.9); limits -2.27..25.33. 10, 5, ..., 11 (indices
    # 9..16) are eight below the mean: a run; 5..11 (indices 10..16) a rising trend, which takes
    # precedence: improvement. Index 9 is in the run only: concern.
    Example("trend over a run", [18.0, 10.0] * 5 + [float(v) for v in range(5, 12)], "higher",
            None, {9: CON, **dict.fromkeys(range(10, 17), IMP)}, "none"),
    # 2..7, 7, 8..12, lower is better: mean 84 / 12 = 7; moving ranges ten of 1 and a 0: 10 / 11;
    # limits 7 -/+ 2.418 = 4.58..9.42, close beyond 7 -/+ 1.612 = 5.39, 8.61. 2, 3, 4 and 10, 11,
    # 12 are outside; 5 (index 3) and 9 (index 8) are close, but each window of three on one side
    # holds only one close point (the others are outside, which is not "close"): common cause.
    Example("two in three", [2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12], "lower", None,
            {0: IMP, 1: IMP, 2: IMP, 9: CON, 10: CON, 11: CON}, "none"),
    # Twelve 5s, lower is better, target 4: every moving range 0, so no limits; assurance
    # inconsistent; nothing special (every point on the mean).
    Example("flat", [5.0] * 12, "lower", 4.0, {}, "inconsistent", limits=False, mean=5.0),
    # Twelve 0.1s, higher, target 1.1: the exact mean is 0.1; every point on it; no limits.
    Example("twelve tenths", [0.1] * 12, "higher", 1.1, {}, "inconsistent", limits=False,
            mean=0.1),
    # mean of the twelve is exactly 29.6 (355.2 / 12): the four 29.6s sit on it and break the
    # run, so nothing is special (moving ranges .2, .2, 0, .3, .3, .2, .4, .1, 0, .6, .5: 2.8 / 11,
    # none screened; limits 29.6 -/+ 2.66 x 2.8 / 11 = 28.92..30.28).
    Example("on the mean", [29.6, 29.8, 29.6, 29.6, 29.9, 29.6, 29.8, 29.4, 29.3, 29.3, 29.9,
                            29.4], "higher", None, {}, "none", mean=29.6),
]  # fmt: skip
