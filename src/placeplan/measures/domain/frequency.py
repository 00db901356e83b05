"""Which figures an SPC chart is drawn over, and which are as at a date. Pure.

A chart's mean and limits hold for figures of one period length: a rate over a year is on another
scale from a rate over a month (the demo's 2019-20 long-term admissions, 536 per 100,000 over the
year, beside monthly rates near 40), so plotting both puts the limits nowhere near either. A chart
is drawn over the metric's own reporting frequency where the series has figures of it, else over
the frequency most of its figures have (the later one on a tie); figures of any other frequency
are listed beside the chart, not plotted, and the latest value and the variation and assurance
icons are read from the charted figures only. The same holds for the target: a chart's target
line (and the assurance read from it) is the latest ambition set for a period of the chart's
frequency; a yearly ambition (519 per 100,000 over 2021-22) is no target for monthly figures.

A series "as at" a date holds only the figures whose period has ended by then (a month by its
last day, a quarter by its third month's, a year by March's): what a board could have read at the
end of a quarter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from placeplan.core.periods import parse_reporting_period

T = TypeVar("T")

OTHER_FIGURES_NOTE = (
    "Figures for periods of another length are listed here, not plotted: a rate over a year is on"
    " another scale from a rate over a month, and the chart's mean and limits hold for one"
    " period length."
)


def chart_kind(kinds: Sequence[str], own: str) -> str | None:
    """The frequency a chart of figures of these `kinds` is drawn over: the metric's `own` where
    present, else the most common (the finer on a tie: more points); None with no figures."""
    if not kinds:
        return None
    if own in kinds:
        return own
    counts = Counter(kinds)
    order = {"month": 0, "quarter": 1, "year": 2}
    return min(counts, key=lambda k: (-counts[k], order.get(k, 3)))


def kind_of(period: str) -> str:
    return parse_reporting_period(period).kind


def target_for(ambitions: Sequence[tuple[str, T]], kind: str | None) -> T | None:
    """The target of the last of `ambitions` (period, target; in period order) set for a period
    of the chart's frequency `kind`: the chart's target line."""
    found = [target for period, target in ambitions if kind_of(period) == kind]
    return found[-1] if found else None


def split_by_frequency(
    items: Sequence[T], period_of: Callable[[T], str], own: str
) -> tuple[list[T], list[T]]:
    """The items a chart plots (of `chart_kind`'s frequency) and the others, each in the order
    given."""
    kinds = [parse_reporting_period(period_of(i)).kind for i in items]
    chosen = chart_kind(kinds, own)
    charted = [i for i, k in zip(items, kinds, strict=True) if k == chosen]
    others = [i for i, k in zip(items, kinds, strict=True) if k != chosen]
    return charted, others


def month_of(day: date) -> int:
    """Months since year 0 of the month `day` falls in (as `ReportingPeriod.sort_key` counts)."""
    return day.year * 12 + day.month - 1


def ended_by(period: str, as_at: date | None) -> bool:
    """Whether the period has ended by the end of `as_at`'s month (always, with no date)."""
    return as_at is None or parse_reporting_period(period).last_month <= month_of(as_at)


def as_at(items: Sequence[T], period_of: Callable[[T], str], day: date | None) -> list[T]:
    """The items whose period has ended by `day` (all of them with no date)."""
    return [i for i in items if ended_by(period_of(i), day)]
