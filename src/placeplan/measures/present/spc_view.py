"""A metric's chart as its page shows it: the SVG with what people recorded on it (recalculations,
annotations, the ambition's trajectory), and the one precision its numbers are shown at."""

from __future__ import annotations

from placeplan.measures.domain.frequency import kind_of
from placeplan.measures.domain.spc_scale import UNIT_DECIMALS, chart_decimals, shown
from placeplan.measures.present.spc_svg import Marks, render_svg
from placeplan.measures.service.figures import MetricView


def chart_notes(view: MetricView) -> list[tuple[str, str]]:
    """The chart's numbered notes: what people recorded, then one per period where linked plan
    interventions begin (the page lists each of them)."""
    notes = [(a.period, a.text) for a in view.marks.annotations]
    starts: dict[str, int] = {}
    for period, _text in view.interventions:
        starts[period] = starts.get(period, 0) + 1
    for period, count in starts.items():
        many = "s begin" if count > 1 else " begins"
        notes.append((period, f"{count} linked plan intervention{many}"))
    return notes


def marks_for(view: MetricView) -> Marks:
    return Marks(
        rebases={r.period: r.reason for r in view.marks.rebases},
        annotations=chart_notes(view),
        trajectory=view.trajectory,
    )


def chart_svg(view: MetricView, unit: str) -> str | None:
    """The chart of the view (None without one)."""
    if view.spc is None:
        return None
    title = f"{view.metric.name}, {view.area.name}"
    return render_svg(view.spc, title, unit=unit, unit_key=view.metric.unit, marks=marks_for(view))


def chart_places(view: MetricView) -> int:
    """The decimals of the page's values: the chart's (`spc_scale.chart_decimals`), or the unit's
    where there is no chart."""
    if view.spc is None:
        return UNIT_DECIMALS.get(view.metric.unit, 1)
    return chart_decimals(view.spc, view.metric.unit)


def other_figures(view: MetricView, unit: str) -> list[str]:
    """The figures of another frequency than the chart's, as listed beside it ("2019-20 (year)
    536.0 per 100,000"); a figure withheld from this reader says so instead of its value."""
    places = chart_places(view)
    return [
        f"{r.period} ({kind_of(r.period)}) "
        + (
            "withheld: fewer than 10"
            if r.period in view.withheld
            else shown(r.value, places) + unit
        )
        for r in view.others
    ]
