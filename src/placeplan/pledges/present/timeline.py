"""The interventions' timeline charts (SVG geometry): where each intervention's bar sits on a
chart of the plan's financial years, table by table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from placeplan.plans.models import Plan
from placeplan.pledges.domain.timelines import financial_year_label
from placeplan.pledges.models import Intervention
from placeplan.pledges.present.answers import table_slug


@dataclass
class Bar:
    row: Intervention
    x: float
    width: float
    y: int
    open_ended: bool


@dataclass
class TimelineChart:
    """Where each intervention's bar sits on a chart of the plan's financial years."""

    years: list[tuple[int, str, float]]  # start year, label, x of its column
    bars: list[Bar]
    height: int
    column: float


CHART_LEFT, CHART_RIGHT, ROW, HEAD = 300.0, 790.0, 30, 34


def timeline_chart(rows: list[Intervention], first_year: int, last_year: int) -> TimelineChart:
    first = min([first_year, *(r.start_year for r in rows if r.start_year)])
    last = max([last_year, *(r.end_year for r in rows if r.end_year)])
    column = (CHART_RIGHT - CHART_LEFT) / (last - first + 1)
    years = [
        (y, financial_year_label(y), CHART_LEFT + (y - first) * column)
        for y in range(first, last + 1)
    ]
    bars = []
    for n, row in enumerate(rows):
        y = HEAD + n * ROW
        if row.start_year is None:
            bars.append(Bar(row, CHART_LEFT, 0, y, False))
            continue
        end = row.end_year if row.end_year is not None else last
        bars.append(
            Bar(
                row,
                CHART_LEFT + (row.start_year - first) * column,
                (end - row.start_year + 1) * column,
                y,
                row.end_year is None,
            )
        )
    return TimelineChart(years, bars, HEAD + len(rows) * ROW + 4, column)


def tables(plan: Plan, rows: list[Intervention]) -> list[dict[str, Any]]:
    """The interventions grouped by the plan's table they come from, each with its chart."""
    groups: dict[str, list[Intervention]] = {}
    for row in rows:
        groups.setdefault(row.table_ref, []).append(row)
    return [
        {
            "ref": ref,
            "title": items[0].table_title,
            "slug": table_slug(ref),
            "rows": items,
            "chart": timeline_chart(items, plan.period_start, plan.period_end),
        }
        for ref, items in groups.items()
    ]
