"""The measures' CSV downloads: header and rows of each, withheld figures written as SUPPRESSED."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from placeplan.measures.domain.breakdowns import Breakdowns, cells
from placeplan.measures.domain.suppression import SUPPRESSED, label_for
from placeplan.measures.service.ambitions import Progress
from placeplan.measures.service.board import BoardRow
from placeplan.measures.service.figures import MetricView
from placeplan.measures.service.plans import PlanMeasures

Table = tuple[list[str], list[list[Any]]]

METRIC_HEADER = [
    "area_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "ambition",
    "on_track",
    "recomputable",
    "illustrative",
    "source",
    "commentary",
]
BREAKDOWNS_HEADER = [
    "area_code",
    "period",
    "breakdown",
    "breakdown_value",
    "numerator",
    "denominator",
    "value",
    "lower_95",
    "upper_95",
    "interval_method",
    "illustrative",
    "source",
    "note",
]
BOARD_HEADER = [
    "metric",
    "area",
    "latest_period",
    "latest_value",
    "variation",
    "assurance",
    "ambition_period",
    "on_track",
]
PLAN_HEADER = ["metric", "area_code", "period", "ambition", "value", "on_track", "stated_change"]


def metric_rows(view: MetricView) -> list[list[Any]]:
    gss_code = view.area.gss_code
    return [
        [
            gss_code,
            r.period,
            *(
                [SUPPRESSED] * 3
                if r.period in view.withheld
                else [
                    "" if r.numerator is None else r.numerator,
                    "" if r.denominator is None else r.denominator,
                    r.value,
                ]
            ),
            view.targets.get(r.period, ""),
            view.standing.get(r.period, ""),
            r.recomputable,
            r.illustrative,
            r.source or "",
            view.notes[r.period].text if r.period in view.notes else "",
        ]
        for r in view.rows
    ]


def breakdown_rows(gss_code: str, found: Breakdowns) -> list[list[Any]]:
    """Every cell; where the all-people figure is not given (an age-standardised rate from fewer
    than 10 events, say), a row saying why in its note."""
    missing = (
        [[gss_code, found.period, "all", "all", *[""] * 6, "", "", f"not given: {found.no_total}"]]
        if found.total is None and found.no_total
        else []
    )
    return missing + [
        [
            gss_code,
            found.period,
            kind,
            f.key,
            *(
                [label_for(f.small)] * 6
                if f.withheld
                else [
                    "" if f.numerator is None else f.numerator,
                    "" if f.denominator is None else f.denominator,
                    f.value,
                    "" if f.interval is None else round(f.interval.lower, 3),
                    "" if f.interval is None else round(f.interval.upper, 3),
                    "" if f.interval is None else f.interval.method,
                ]
            ),
            f.illustrative,
            f.source or "",
            "",
        ]
        for kind, f in cells(found)
    ]


def board_rows(rows: Sequence[BoardRow]) -> list[list[Any]]:
    return [
        [
            r.metric.key,
            r.area.gss_code,
            r.latest.period if r.latest else "",
            (SUPPRESSED if r.withheld else r.latest.value) if r.latest else "",
            r.variation,
            r.assurance,
            r.standing[0] if r.standing else "",
            r.standing[1] if r.standing else "",
        ]
        for r in rows
    ]


def plan_value(found: Progress, withheld: bool) -> Any:
    """An ambition's figure as shown: blank without one, SUPPRESSED when withheld."""
    m = found.measurement
    if m is None:
        return ""
    return SUPPRESSED if withheld else m.value


def shown_values(measures: PlanMeasures) -> dict[int, Any]:
    """Each ambition's figure as shown, by ambition id."""
    return {
        a.id: plan_value(measures.progress[a.id], a.id in measures.withheld)
        for a, _ in measures.ambitions
    }


def plan_rows(measures: PlanMeasures) -> list[list[Any]]:
    shown = shown_values(measures)
    return [
        [
            a.metric.key,
            a.area.gss_code,
            a.period,
            a.target,
            shown[a.id],
            measures.progress[a.id].status,
            a.stated_change or "",
        ]
        for a, _ in measures.ambitions
    ]
