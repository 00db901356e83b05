"""Pure rules of pledges: periods, where a measure stands against its trajectory, a pledge's status
from its measures, and the financial years an intervention's timeline spans. No database here.

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

A pledge's status is the worst of its measured measures (off track before on track before met);
it is met only when every one of its measures is met, on track when some measures are met or on
track and others have no value yet, and not yet measured when none has a value.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from placeplan.core.errors import InputError

DIRECTIONS: dict[str, str] = {"higher": "Higher is better", "lower": "Lower is better"}
STATUSES: dict[str, str] = {
    "met": "Met",
    "on_track": "On track",
    "off_track": "Off track",
    "not_measured": "Not yet measured",
}
# Worst first: a pledge takes the first of these that any of its measured measures has.
_SEVERITY = ("off_track", "on_track", "met")


@dataclass(frozen=True)
class Period:
    """A period a figure is for, as written, with its first and last day. A figure is taken to
    be known at the end of its period."""

    label: str
    start: date
    end: date


_FY = re.compile(r"^(\d{4})-(\d{2})$")
_FY_QUARTER = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4}) to (\d{4})$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str | None, field: str = "period") -> Period:
    """Financial years `2023-24`, quarters `2023-24 Q2`, months `2023-07`, calendar years `2021`
    and spans of calendar years `2018 to 2020` (life expectancy is published for three-year
    spans). `YYYY-YY` is a financial year when YY follows YYYY, else a month."""
    cleaned = " ".join(str(text or "").split())
    if match := _FY_QUARTER.match(cleaned):
        start, end, quarter = int(match[1]), int(match[2]), int(match[3])
        if end != (start + 1) % 100:
            raise InputError(f"'{text}': {end:02d} does not follow {start}", field=field)
        first_month = 4 + 3 * (quarter - 1)
        year = start + (1 if first_month > 12 else 0)
        first_month = (first_month - 1) % 12 + 1
        return Period(cleaned, date(year, first_month, 1), _month_end(year, first_month + 2))
    if (match := _FY.match(cleaned)) and int(match[2]) == (int(match[1]) + 1) % 100:
        start = int(match[1])
        return Period(cleaned, date(start, 4, 1), date(start + 1, 3, 31))
    if (match := _MONTH.match(cleaned)) and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
        return Period(cleaned, date(year, month, 1), _month_end(year, month))
    if match := _YEAR.match(cleaned):
        year = int(match[1])
        return Period(cleaned, date(year, 1, 1), date(year, 12, 31))
    if (match := _YEARS.match(cleaned)) and int(match[1]) <= int(match[2]):
        return Period(cleaned, date(int(match[1]), 1, 1), date(int(match[2]), 12, 31))
    raise InputError(
        f"'{text}' is not a period: expected a financial year (2023-24), a quarter (2023-24 Q2),"
        " a month (2023-07), a year (2021) or years (2018 to 2020)",
        field=field,
    )


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
            parse_period(target_period, "target_period").end
            < parse_period(baseline_period, "baseline_period").end
        ):
            raise InputError("the target period ends before the baseline's", field="target_period")


def time_elapsed(baseline_period: str, target_period: str, at_period: str) -> Decimal:
    """How far along the baseline-to-target trajectory the period `at_period` is: 0 at the end of
    the baseline period, 1 at (or after) the end of the target period."""
    start = parse_period(baseline_period, "baseline_period").end
    end = parse_period(target_period, "target_period").end
    at = parse_period(at_period, "latest_period").end
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


# ---- intervention timelines -------------------------------------------------------------------

_FY_SHORT = r"(\d{2})/(\d{2})"
_TL_ONE = re.compile(rf"^{_FY_SHORT}$")
_TL_SPAN = re.compile(rf"^{_FY_SHORT}\s*(?:to|&|-|–)\s*{_FY_SHORT}$")
_TL_FROM = re.compile(rf"^(?:from\s+{_FY_SHORT}|{_FY_SHORT}\s+onwards)$", re.IGNORECASE)


@dataclass(frozen=True)
class Timeline:
    """The financial years an intervention spans, by the calendar year each starts in;
    `end_year` None with `open_ended` for "onwards" and "from"."""

    start_year: int | None
    end_year: int | None
    open_ended: bool = False

    def covers(self, year: int, last_year: int) -> bool:
        if self.start_year is None:
            return False
        end = last_year if self.open_ended else (self.end_year or self.start_year)
        return self.start_year <= year <= end


def _short_year(first: str, second: str, text: str, field: str) -> int:
    start, end = int(first), int(second)
    if end != (start + 1) % 100:
        raise InputError(f"'{text}': {second} does not follow {first}", field=field)
    return 2000 + start


def parse_timeline(text: str | None, field: str = "timeline") -> Timeline:
    """Timelines as the plan writes them: `23/24`, `23/24 & 24/25`, `23/24 to 27/28`,
    `23/24 onwards`, `From 23/24`. Blank: no timeline given."""
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        return Timeline(None, None)
    if match := _TL_ONE.match(cleaned):
        year = _short_year(match[1], match[2], cleaned, field)
        return Timeline(year, year)
    if match := _TL_SPAN.match(cleaned):
        first = _short_year(match[1], match[2], cleaned, field)
        last = _short_year(match[3], match[4], cleaned, field)
        if last < first:
            raise InputError(f"'{cleaned}' ends before it starts", field=field)
        return Timeline(first, last)
    if match := _TL_FROM.match(cleaned):
        a, b = (match[1], match[2]) if match[1] else (match[3], match[4])
        return Timeline(_short_year(a, b, cleaned, field), None, open_ended=True)
    raise InputError(
        f"'{cleaned}' is not a timeline: expected e.g. 23/24, 23/24 & 24/25, 23/24 to 27/28,"
        " 23/24 onwards or From 23/24",
        field=field,
    )


def financial_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"
