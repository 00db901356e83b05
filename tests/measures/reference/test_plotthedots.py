"""placeplan's SPC against the independent reading of NHSRplotthedots 0.2.2 in `plotthedots.py`.

480 generated series (seeded, so every run sees the same ones): noise with shifts, trends and
outliers, values rounded to one decimal place (so points fall exactly on the mean) or to whole
counts (ties, flat stretches), with and without screening of moving ranges, some with a
recalculation. Every point's type, each segment's mean and limits, and the assurance must agree.

The departures placeplan makes on purpose (docs/measures.md), checked here as departures: where a
segment's mean moving range is zero, placeplan draws no limits and calls assurance "inconsistent";
NHSRplotthedots draws limits on the mean when screening is off, or when screening leaves only
zero ranges, and then counts every point off the mean as outside them. And a point that ends one
trend where the next starts from an equal value (…, 134.7, 135.9, 135.9, 137.1, …): R types it by
the flat step between the two, which its `ifelse(sdy == 1, "In", "De")` reads as decreasing;
placeplan gives it the direction of the trend it ends.
"""

from __future__ import annotations

import math
import random

import pytest

from placeplan.measures.domain.spc import SpcChart, xmr
from tests.measures.reference.plotthedots import RPoint, ptd_spc

SERIES = 480
DIRECTIONS = {"higher": 1, "lower": -1, "neither": 0}
R_ASSURANCE = {
    None: "none",
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "inconsistent",
}


def generated(seed: int) -> tuple[list[float], dict[str, object]]:
    """One series and its options; the mix cycles through the kinds of data analysts chart."""
    rng = random.Random(seed)
    n = rng.randint(8, 40)
    kind = seed % 6
    base = rng.uniform(-50, 200)
    spread = rng.choice([0.5, 2.0, 10.0])
    y = [rng.gauss(base, spread) for _ in range(n)]
    if kind == 1:  # a shift part-way
        at = rng.randrange(1, n)
        y = [v + (rng.choice([-3, 3]) * spread if i >= at else 0) for i, v in enumerate(y)]
    elif kind == 2:  # a trend part-way
        at, step = rng.randrange(0, n), rng.choice([-1, 1]) * spread * 0.8
        y = [v + max(0, i - at) * step for i, v in enumerate(y)]
    elif kind == 3:  # an outlier or two
        for _ in range(rng.randint(1, 2)):
            y[rng.randrange(n)] += rng.choice([-8, 8]) * spread
    if seed % 4 == 1:
        y = [round(v, 1) for v in y]  # one decimal place: points land exactly on the mean
    elif seed % 4 == 3:
        y = [float(max(0, round(v / spread))) for v in y]  # small whole counts: ties, flats
    if kind == 5:  # strictly monotone stretches: trends of 7 crossing the mean
        y = sorted(y, reverse=rng.random() < 0.5)
    options: dict[str, object] = {
        "direction": rng.choice(list(DIRECTIONS)),
        "target": rng.choice([None, round(rng.uniform(min(y), max(y) + 1e-9), 1)]),
        "screen": seed % 2 == 0,
        "rebase": (rng.randrange(5, n - 4),) if n >= 20 and seed % 5 == 0 else (),
    }
    return y, options


def _placeplan(y: list[float], options: dict[str, object]) -> SpcChart:
    rebase = options["rebase"]
    assert isinstance(rebase, tuple)
    return xmr(
        [(f"p{i:03d}", v) for i, v in enumerate(y)],
        options["direction"],  # type: ignore[arg-type]
        target=options["target"],  # type: ignore[arg-type]
        screen_outliers=bool(options["screen"]),
        rebase=[f"p{i:03d}" for i in rebase],
    )


def _r_type(point_type: str) -> str:
    return point_type.removesuffix("_high").removesuffix("_low")


def _flat(points: list[RPoint]) -> bool:
    """The R segment's mean moving range was zero (limits NaN, or on the mean)."""
    return any(math.isnan(p.upl) or p.upl == p.mean for p in points)


def _compare(seed: int) -> str:
    """'same', or 'departure' where the segment has no spread; fails on any other difference."""
    y, options = generated(seed)
    ours = _placeplan(y, options)
    theirs, assurance = ptd_spc(
        y,
        DIRECTIONS[str(options["direction"])],
        target=options["target"],  # type: ignore[arg-type]
        screen_outliers=bool(options["screen"]),
        rebase_at=options["rebase"],  # type: ignore[arg-type]
    )
    if _flat(theirs):
        assert any(p.upper is None for p in ours.points), f"seed {seed}: placeplan drew limits"
        return "departure"
    context = f"seed {seed}: {y} {options}"
    outcome = "same"
    for i, (mine, ref) in enumerate(zip(ours.points, theirs, strict=True)):
        assert mine.mean == ref.mean, f"{context}: mean at {i}"
        assert mine.lower == pytest.approx(ref.lpl, rel=1e-12, abs=1e-12), f"{context}: {i}"
        assert mine.upper == pytest.approx(ref.upl, rel=1e-12, abs=1e-12), f"{context}: {i}"
        if ref.special_cause_type.startswith("7 Point Trend") and ref.trend_step == 0:
            assert "trend" in mine.rules and y[i] - y[i - 1] != 0, f"{context}: {i}"
            outcome = "departure"
            continue
        assert mine.type == _r_type(ref.point_type), f"{context}: type at {i} ({ref.special_cause_type})"  # fmt: skip
    assert ours.assurance == R_ASSURANCE[assurance], context
    return outcome


def test_placeplan_agrees_with_nhsrplotthedots_on_generated_series() -> None:
    outcomes = [_compare(seed) for seed in range(SERIES)]
    # the suite must mostly exercise agreement, not the departure
    assert outcomes.count("same") >= 400, outcomes.count("same")


def test_the_generated_series_exercise_every_rule() -> None:
    """A comparison is only as good as its cases: each rule fires, in both directions."""
    seen: set[str] = set()
    for seed in range(SERIES):
        y, options = generated(seed)
        points, _ = ptd_spc(y, 1, screen_outliers=bool(options["screen"]))
        seen |= {p.special_cause_type for p in points}
    for kind in (
        "Above UCL", "Below LCL", "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)",
        "2 in 3 Above CL", "2 in 3 Below CL", "7 Points Above CL", "7 Points Below CL",
    ):  # fmt: skip
        assert kind in seen, kind
