"""The measures' JSON answers: pydantic read schemas, so /api/v1/openapi.json describes each, and
the functions that build them from the service's views. Withheld figures are None beside a
`suppressed` note; routes that return a schema with optional keys left out answer with
`response_model_exclude_unset=True` so clients get the same keys as ever."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, Field

from placeplan.core.actor import Actor
from placeplan.core.permissions import can_read_unpublished
from placeplan.measures.domain.breakdowns import Breakdowns, Figure, cells
from placeplan.measures.domain.suppression import SUPPRESSED, label_for
from placeplan.measures.models import Metric, MetricCommentary
from placeplan.measures.service.board import BoardRow
from placeplan.measures.service.figures import MetricView
from placeplan.web.differences import CheckOut, SectionOut

POINTS_WITHHELD = "points withheld: some figures rest on fewer than 10"


class MetricOut(BaseModel):
    key: str
    name: str
    unit: str
    direction: str
    frequency: str
    definition: str | None
    source: str | None


class MeasurementOut(BaseModel):
    period: str
    numerator: str | None
    denominator: str | None
    value: str | None
    suppressed: str | None
    ambition: str | None
    on_track: str | None
    recomputable: bool
    illustrative: bool
    source: str | None


class SpcPointOut(BaseModel):
    period: str
    value: float
    mean: float
    lower: float | None  # None: no spread in the segment, so no limits
    upper: float | None
    type: str


class SpcOut(BaseModel):
    """An XmR chart; while any figure is withheld, the reading without the points."""

    points: list[SpcPointOut] | None
    variation: str
    assurance: str
    withheld: str | None = None  # present only when the points are withheld
    moving_range_screening: str = "off"  # "on": ranges >= 3.267 x their mean left out


class MetricFiguresOut(BaseModel):
    area: str
    metric: str
    measurements: list[MeasurementOut]
    spc: SpcOut | None


class BreakdownCellOut(BaseModel):
    """One cell; a withheld one has only its breakdown, value and `suppressed`."""

    breakdown: str
    breakdown_value: str
    suppressed: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    value: str | None = None
    lower_95: float | None = None
    upper_95: float | None = None
    interval_method: str | None = None
    illustrative: bool | None = None
    source: str | None = None


class QuintileGapOut(BaseModel):
    most_deprived: float
    least_deprived: float
    gap: float
    ratio: float | None


class BreakdownsOut(BaseModel):
    area: str
    metric: str
    periods: list[str]
    period: str | None
    cells: list[BreakdownCellOut]
    quintile_gap: QuintileGapOut | None
    quintile_gap_withheld: bool
    gap_trend_per_period: float | None
    gap_trend_period: str | None = None  # what a period of the slope is: year, quarter or month
    no_total: str | None = None  # why there is no all-people figure (a DSR from < 10 events)


class BoardRowOut(BaseModel):
    metric: str
    area: str
    latest_period: str | None
    latest_value: str | None
    suppressed: str | None
    variation: str
    assurance: str
    moving_range_screening: str | None = None  # "on" or "off"; None without a chart
    ambition_period: str | None
    on_track: str | None


class MeasurementsIn(BaseModel):
    rows: list[dict[str, str]]
    source: str | None = None


class ImportedOut(BaseModel):
    """A one-shot import: how many measurements were written (added or changed in place), how
    many rows were already stored as they are, and what changed."""

    metric: str
    imported: int
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    summary: str = ""


class MeasuresPreviewOut(BaseModel):
    """What uploaded measurements change (a preview: nothing written, confirm with `token`), or
    changed (a confirmation: `token` is null). `areas` are the GSS codes written."""

    metric: str
    metric_name: str
    file: str
    token: str | None
    base: str
    unchanged: int
    areas: list[str]
    checks: list[CheckOut]
    summary: str
    sections: list[SectionOut]


class ConfirmIn(BaseModel):
    """A preview to confirm: its token, and the revision its differences were last seen against
    (`base` of the preview, or of the 409 answer's new preview); default the preview's own."""

    token: str
    base: str | None = None


class CommentaryOut(BaseModel):
    id: int
    period: str
    text: str
    public: bool
    author: str | None = Field(None, description="who wrote it: for signed-in readers only")
    updated_at: str
    illustrative: bool
    version: int
    url: str


class CommentariesOut(BaseModel):
    area_code: str
    metric: str
    commentary: list[CommentaryOut]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def metric_out(m: Metric) -> MetricOut:
    return MetricOut(
        key=m.key,
        name=m.name,
        unit=m.unit,
        direction=m.direction,
        frequency=m.frequency,
        definition=m.definition,
        source=m.source,
    )


def metric_figures_out(view: MetricView) -> MetricFiguresOut:
    withheld = view.withheld
    spc: dict[str, Any] | None = None
    if view.spc is not None:
        spc = view.spc.as_dict()
        if view.points_withheld:
            # Points, means and limits would give a withheld figure back; the reading stays.
            spc = {
                "variation": spc["variation"],
                "assurance": spc["assurance"],
                "points": None,
                "withheld": POINTS_WITHHELD,
                "moving_range_screening": spc["moving_range_screening"],
            }
    return MetricFiguresOut.model_validate(
        {
            "area": view.area.gss_code,
            "metric": view.metric.key,
            "measurements": [
                {
                    "period": r.period,
                    "numerator": None if r.period in withheld else _text(r.numerator),
                    "denominator": None if r.period in withheld else _text(r.denominator),
                    "value": None if r.period in withheld else str(r.value),
                    "suppressed": SUPPRESSED if r.period in withheld else None,
                    "ambition": _text(view.targets.get(r.period)),
                    "on_track": view.standing.get(r.period),
                    "recomputable": r.recomputable,
                    "illustrative": r.illustrative,
                    "source": r.source,
                }
                for r in view.rows
            ],
            "spc": spc,
        }
    )


def _cell(kind: str, f: Figure) -> dict[str, Any]:
    if f.withheld:
        return {"breakdown": kind, "breakdown_value": f.key, "suppressed": label_for(f.small)}
    return {
        "breakdown": kind,
        "breakdown_value": f.key,
        "numerator": _text(f.numerator),
        "denominator": _text(f.denominator),
        "value": str(f.value),
        "lower_95": None if f.interval is None else f.interval.lower,
        "upper_95": None if f.interval is None else f.interval.upper,
        "interval_method": None if f.interval is None else f.interval.method,
        "illustrative": f.illustrative,
        "source": f.source,
    }


def breakdowns_out(gss_code: str, key: str, found: Breakdowns) -> BreakdownsOut:
    return BreakdownsOut.model_validate(
        {
            "area": gss_code,
            "metric": key,
            "periods": list(found.periods),
            "period": found.period,
            "cells": [_cell(kind, f) for kind, f in cells(found)],
            "quintile_gap": None
            if found.gap is None
            else {
                "most_deprived": found.gap.most_deprived,
                "least_deprived": found.gap.least_deprived,
                "gap": found.gap.gap,
                "ratio": found.gap.ratio,
            },
            "quintile_gap_withheld": found.gap_withheld,
            "gap_trend_per_period": None if found.trend is None else found.trend.slope,
            "gap_trend_period": None if found.trend is None else found.trend.per,
            "no_total": found.no_total,
        }
    )


def board_out(rows: Sequence[BoardRow]) -> list[BoardRowOut]:
    return [
        BoardRowOut(
            metric=r.metric.key,
            area=r.area.gss_code,
            latest_period=r.latest.period if r.latest else None,
            latest_value=None if r.latest is None or r.withheld else str(r.latest.value),
            suppressed=SUPPRESSED if r.latest and r.withheld else None,
            variation=r.variation,
            assurance=r.assurance,
            moving_range_screening=None if r.screened is None else ("on" if r.screened else "off"),
            ambition_period=r.standing[0] if r.standing else None,
            on_track=r.standing[1] if r.standing else None,
        )
        for r in rows
    ]


def commentary_out(
    gss_code: str, key: str, note: MetricCommentary, internal: bool = True
) -> CommentaryOut:
    """One note; who wrote it only when `internal` (a reader who may see internal fields)."""
    return CommentaryOut(
        id=note.id,
        period=note.period,
        text=note.text,
        public=note.public,
        author=note.author if internal else None,
        updated_at=note.updated_at.isoformat(),
        illustrative=note.illustrative,
        version=note.version,
        url=f"/api/v1/areas/{gss_code}/metrics/{key}/commentary/{quote(note.period)}",
    )


def commentaries_out(
    gss_code: str, key: str, notes: dict[str, MetricCommentary], reader: Actor
) -> CommentariesOut:
    """The notes `reader` may read; who wrote them only for a reader who may see internal fields."""
    internal = can_read_unpublished(reader)
    return CommentariesOut(
        area_code=gss_code,
        metric=key,
        commentary=[commentary_out(gss_code, key, n, internal) for _, n in sorted(notes.items())],
    )
