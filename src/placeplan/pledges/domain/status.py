"""Where a measure stands against its trajectory and a pledge's status from its measures.
Pure: no database here.

A measure's status
    not yet measured  no latest value, or neither a baseline nor a target to judge it against;
    met               the latest value is at or beyond the target in the better direction;
    on track          short of the target, but at or beyond where a straight line from the
                      baseline (at the end of its period) to the target (at the end of its period)
                      stands at the end of the latest value's period; with no target, better
                      than the baseline;
    off track         otherwise: behind that line, past the target period without meeting it,
                      worse than the baseline, or short of a target with no baseline to draw a
                      line from (nothing shows it is moving the right way).

A measure that follows an allocation's glide path (its yearly targets are an area's allocation,
in pounds) is judged against the path's target for the financial year its latest value ends in,
not its own baseline and target: at or beyond that year's target in the better direction
(the measure's own, else the way the path moves) it is on track, or met in the path's last
year; short of it, off track. A latest value in a year the path does not cover is judged by the
rule above.

A pledge's status is the worst of its measured measures (off track before on track before met);
it is met only when every one of its measures is met, on track when some measures are met or on
track and others have no value yet, and not yet measured when none has a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from placeplan.core.errors import InputError
from placeplan.core.periods import FinancialYear, parse_span

DIRECTIONS: dict[str, str] = {"higher": "Higher is better", "lower": "Lower is better"}
STATUSES: dict[str, str] = {
    "met": "Met",
    "on_track": "On track",
    "off_track": "Off track",
    "not_measured": "Not yet measured",
}
# Worst first: a pledge takes the first of these that any of its measured measures has.
_SEVERITY = ("off_track", "on_track", "met")


def check_direction(direction: str | None, field: str = "direction") -> str:
    if direction not in DIRECTIONS:
        raise InputError(
            f"'{direction}' is not a direction: expected {' or '.join(DIRECTIONS)}", field=field
        )
    return direction


def _better_or_equal(value: Decimal, than: Decimal, direction: str) -> bool:
    return value >= than if direction == "higher" else value <= than


def check_figures(
    direction: str,
    baseline: Decimal | None,
    baseline_period: str | None,
    target: Decimal | None,
    target_period: str | None,
) -> None:
    """A target must lie in the better direction from the baseline (equal: "maintain"), and a
    figure needs its period so it can be placed on the trajectory."""
    if baseline is not None and baseline_period is None:
        raise InputError("a baseline needs the period it is for", field="baseline_period")
    if target is not None and target_period is None:
        raise InputError("a target needs the period it is for", field="target_period")
    if baseline is not None and target is not None:
        if not _better_or_equal(target, baseline, direction):
            raise InputError(
                f"the target {target} is worse than the baseline {baseline} when"
                f" {direction} is better",
                field="target_value",
            )
        assert baseline_period is not None and target_period is not None
        if (
            parse_span(target_period, "target_period").end
            < parse_span(baseline_period, "baseline_period").end
        ):
            raise InputError("the target period ends before the baseline's", field="target_period")


def time_elapsed(baseline_period: str, target_period: str, at_period: str) -> Decimal:
    """How far along the baseline-to-target trajectory the period `at_period` is: 0 at the end of
    the baseline period, 1 at (or after) the end of the target period."""
    start = parse_span(baseline_period, "baseline_period").end
    end = parse_span(target_period, "target_period").end
    at = parse_span(at_period, "latest_period").end
    if end <= start:
        return Decimal(1) if at >= end else Decimal(0)
    share = Decimal((at - start).days) / Decimal((end - start).days)
    return min(Decimal(1), max(Decimal(0), share))


def distance_covered(baseline: Decimal, target: Decimal, latest: Decimal) -> Decimal | None:
    """The share of the way from baseline to target the latest value has come (negative: moved
    away; above 1: beyond the target). None for a target equal to its baseline."""
    if target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


@dataclass(frozen=True)
class Assessment:
    status: str
    time_elapsed: Decimal | None = None  # 0..1 along the trajectory at the latest period
    expected: Decimal | None = None  # where the straight-line trajectory stands then
    distance_covered: Decimal | None = None  # share of baseline-to-target achieved


def assess(
    direction: str | None,
    baseline: Decimal | None,
    baseline_period: str | None,
    target: Decimal | None,
    target_period: str | None,
    latest: Decimal | None,
    latest_period: str | None,
) -> Assessment:
    """A measure's status (see the module's docstring for the rule)."""
    if (
        direction is None
        or latest is None
        or latest_period is None
        or (baseline is None and target is None)
    ):
        return Assessment("not_measured")
    if target is None:
        assert baseline is not None
        better = latest != baseline and _better_or_equal(latest, baseline, direction)
        return Assessment("on_track" if better else "off_track")
    if _better_or_equal(latest, target, direction):
        distance = distance_covered(baseline, target, latest) if baseline is not None else None
        elapsed = (
            time_elapsed(baseline_period, target_period, latest_period)
            if baseline_period and target_period
            else None
        )
        return Assessment("met", elapsed, None, distance)
    if baseline is None or baseline_period is None or target_period is None:
        return Assessment("off_track")
    elapsed = time_elapsed(baseline_period, target_period, latest_period)
    expected = baseline + (target - baseline) * elapsed
    # Past the target period the line stands at the target, which was not met: off track.
    status = "on_track" if _better_or_equal(latest, expected, direction) else "off_track"
    return Assessment(status, elapsed, expected, distance_covered(baseline, target, latest))


def assess_on_path(
    direction: str | None,
    targets: Sequence[tuple[str, int]],
    latest: Decimal | None,
    latest_period: str | None,
) -> Assessment | None:
    """A measure following a glide path (`targets`: year label and pence, year by year) judged
    against the year its latest value ends in; None when there is no path, no latest value, or
    the year is not on the path (the caller then judges it by its own figures)."""
    if not targets or latest is None or latest_period is None:
        return None
    end = parse_span(latest_period, "latest_period").end
    year = FinancialYear(end.year if end.month >= 4 else end.year - 1).label
    pence = dict(targets).get(year)
    if pence is None:
        return None
    target = Decimal(pence) / 100
    way = direction or ("higher" if targets[-1][1] >= targets[0][1] else "lower")
    if not _better_or_equal(latest, target, way):
        return Assessment("off_track", None, target)
    return Assessment("met" if year == targets[-1][0] else "on_track", None, target)


def pledge_status(measure_statuses: list[str]) -> str:
    """A pledge's status from its measures' (see the module's docstring)."""
    measured = [s for s in measure_statuses if s != "not_measured"]
    if not measured:
        return "not_measured"
    for status in _SEVERITY:
        if status in measured:
            worst = status
            break
    if worst == "met" and len(measured) < len(measure_statuses):
        return "on_track"
    return worst
