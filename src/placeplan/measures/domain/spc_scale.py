"""How an SPC chart's numbers and periods read: one precision rule for the values, the limits and
the value axis, and period labels for the time axis, thinned to fit. Pure.

The precision rule: a metric's unit gives its usual decimals (whole numbers for counts and minutes,
one decimal place otherwise); where the chart spans less than that can tell apart (a delay of 0.87
to 0.93 days), the decimals of the axis step are used instead, so the axis and every value printed
beside it agree: "0.88 days" on the axis, "0.87 days" for a point, never "0.9" next to "0.901".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_reporting_period
from placeplan.measures.domain.spc import SpcChart

UNIT_DECIMALS = {"count": 0, "minutes": 0}  # every other unit: 1
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STEPS = (1, 2, 5)


def step_of(low: float, high: float, most: int = 6) -> float:
    """The axis step: 1, 2 or 5 times a power of ten, giving at most `most` intervals."""
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / most))
    for factor in (*_STEPS, 10):
        if span / (factor * power) <= most + 1e-9:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _step_decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def decimals(unit: str, low: float, high: float) -> int:
    """The decimals every number on a chart spanning `low` to `high` is shown with."""
    return max(UNIT_DECIMALS.get(unit, 1), _step_decimals(step_of(low, high)))


def span(chart: SpcChart) -> tuple[float, float]:
    """The lowest and highest of the chart's points, limits and target."""
    values = [p.value for p in chart.points]
    values += [limit for p in chart.points for limit in (p.lower, p.upper) if limit is not None]
    if chart.target is not None:
        values.append(chart.target)
    return min(values), max(values)


def chart_decimals(chart: SpcChart, unit: str) -> int:
    """The one precision of a chart's values, limits, target and axis, wherever they are shown."""
    return decimals(unit, *span(chart))


def ticks(low: float, high: float) -> list[float]:
    """The value axis's ticks: multiples of the step from `low` to `high` inclusive."""
    step = step_of(low, high)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def shown(value: float | Decimal, places: int) -> str:
    """`value` at `places` decimals, halves rounded up, thousands with commas."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{exact:,.{places}f}"


def period_label(period: str) -> str:
    """A period as people read it: "Jul 2024" for the month 2024-07; quarters and financial years
    as written ("2025-26 Q3", "2025-26")."""
    try:
        parsed = parse_reporting_period(period)
    except InputError:
        return period
    if parsed.kind == "month":
        return f"{_MONTHS[parsed.sort_key % 12]} {parsed.sort_key // 12}"
    return parsed.label


def thinned(count: int, label_width: float, room: float) -> list[int]:
    """Which of `count` evenly spaced labels to print so that none overlaps: every k-th, always
    the first, k the smallest that leaves each label `label_width` of the `room`."""
    if count <= 1:
        return list(range(count))
    gap = room / (count - 1)
    every = max(1, math.ceil(label_width / gap)) if gap > 0 else count
    return list(range(0, count, every))


def months_between(first: str, later: str) -> int | None:
    """Months from the period `first` to the period `later` (None when either cannot be read)."""
    try:
        return parse_reporting_period(later).sort_key - parse_reporting_period(first).sort_key
    except InputError:
        return None


def steps_ahead(last: str, target: str, periods: Sequence[str]) -> float | None:
    """How many of the series' own steps the end of the period `target` lies after `last`, from
    the months between its periods (None when it is not after `last` or the periods cannot be read)."""
    months = months_between(last, target)
    if months is not None:  # to the last month of the target period: "2025-26" ends in March
        months += {"year": 11, "quarter": 2}.get(parse_reporting_period(target).kind, 0)
    if months is None or months <= 0:
        return None
    step = months_between(periods[-2], periods[-1]) if len(periods) >= 2 else 1
    return months / (step or 1)
