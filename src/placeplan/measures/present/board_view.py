"""The board's icon summary as performance reports show it: one row per metric and area with the
Making Data Count variation and assurance icons and their words, the latest value at the chart's
precision, and the ambition; and the same table as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from placeplan.measures.domain.spc_scale import period_label, shown
from placeplan.measures.present.labels import ASSURANCE, SUPPRESSED, UNIT_SUFFIX, VARIATION
from placeplan.measures.present.spc_icons import (
    ASSURANCE_TEXT,
    assurance_icon,
    variation_icon,
    variation_text,
)
from placeplan.measures.service import STANDING
from placeplan.measures.service.board import BoardRow

SUMMARY_HEADER = [
    "Measure",
    "Area",
    "Latest period",
    "Latest value",
    "Variation",
    "Assurance",
    "Moving ranges",
    "Ambition period",
    "Ambition",
    "Against the ambition",
]


@dataclass(frozen=True)
class SummaryRow:
    row: BoardRow
    latest: str  # the latest value at the chart's precision, with its unit; withheld as such
    variation_icon: str
    variation: str
    assurance_icon: str
    assurance: str
    ambition: str  # the latest ambition's target at the chart's precision, with its period


def _unit(row: BoardRow) -> str:
    return UNIT_SUFFIX.get(row.metric.unit, "")


def summary_row(row: BoardRow) -> SummaryRow:
    latest = ""
    if row.latest:
        latest = SUPPRESSED if row.withheld else shown(row.latest.value, row.places) + _unit(row)
    side = row.side if row.side in ("high", "low") else "none"
    words = variation_text(row.variation, side) or VARIATION.get(row.variation, "")  # type: ignore[arg-type]
    ambition = ""
    if row.ambition:
        ambition = (
            f"{shown(row.ambition[1], row.places)}{_unit(row)} by {period_label(row.ambition[0])}"
        )
    return SummaryRow(
        row=row,
        latest=latest,
        variation_icon=variation_icon(row.variation, side, size=32),  # type: ignore[arg-type]
        variation=words,
        assurance_icon=assurance_icon(row.assurance, size=32),
        assurance=ASSURANCE_TEXT.get(row.assurance, ASSURANCE.get(row.assurance, "")),
        ambition=ambition,
    )


def summary_rows(rows: Sequence[BoardRow]) -> list[SummaryRow]:
    return [summary_row(r) for r in rows]


def summary_csv(rows: Sequence[BoardRow]) -> list[list[str]]:
    out = []
    for s in summary_rows(rows):
        r = s.row
        out.append(
            [
                r.metric.name,
                r.area.name,
                period_label(r.latest.period) if r.latest else "",
                s.latest,
                s.variation,
                s.assurance,
                "" if r.screened is None else ("Screened" if r.screened else "Not screened"),
                period_label(r.ambition[0]) if r.ambition else "",
                shown(r.ambition[1], r.places) if r.ambition else "",
                STANDING[r.standing[1]] if r.standing else "",
            ]
        )
    return out
