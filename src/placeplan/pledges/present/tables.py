"""The pledges and interventions as tables: the download's columns and rows (CSV and xlsx), the
status counts, and figures as people read them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from placeplan.core.money import format_pence
from placeplan.pledges.domain.status import DIRECTIONS, STATUSES
from placeplan.pledges.domain.table import Table
from placeplan.pledges.domain.timelines import financial_year_label
from placeplan.pledges.models import Intervention
from placeplan.pledges.service.reads import MeasureView, PledgeView
from placeplan.pledges.service.stored import StoredFigure

MEASURE_COLUMNS = [
    "pledge",
    "pledge_title",
    "pledge_status",
    "accountable",
    "measure",
    "measure_name",
    "metric",
    "unit",
    "direction",
    "baseline",
    "baseline_period",
    "target",
    "target_period",
    "latest",
    "latest_period",
    "measure_status",
    "time_elapsed",
    "distance_covered",
    "illustrative",
    "latest_source",
    "stored_figure",
    "stored_period",
    "stored_from",
]
INTERVENTION_COLUMNS = [
    "table",
    "table_title",
    "number",
    "area",
    "description",
    "timeline",
    "first_year",
    "last_year",
    "pledge",
    "illustrative",
    "note",
]
LABELS = {"statuses": STATUSES, "directions": DIRECTIONS}


def figure(value: Decimal | None) -> str:
    """A figure as people read it: thousands separated, no trailing zeros."""
    if value is None:
        return ""
    plain = value.normalize()
    if plain == plain.to_integral_value():
        return f"{int(plain):,}"
    return f"{plain:,f}"


def share(value: Decimal | None) -> str:
    return "" if value is None else f"{(value * 100).quantize(Decimal('1'))}%"


def counts(views: list[PledgeView]) -> dict[str, int]:
    """How many pledges have each status."""
    out = {status: 0 for status in STATUSES}
    for view in views:
        out[view.status] += 1
    return out


def measure_cells(view: PledgeView, m: MeasureView, signed_in: bool) -> list[Any]:
    """One measure's row of the table: figures as Decimals, text as text."""
    x = m.measure
    found: StoredFigure | None = m.stored
    shown = found is not None and found.value is not None and (signed_in or not found.withheld)
    return [
        view.pledge.ref,
        view.pledge.title,
        view.status,
        "; ".join(a.name for a in view.accountable),
        x.ref,
        x.name,
        x.metric_key or "",
        x.unit or "",
        x.direction or "",
        x.baseline_value,
        x.baseline_period or "",
        x.target_value,
        x.target_period or "",
        x.latest_value,
        x.latest_period or "",
        m.status,
        share(m.assessment.time_elapsed),
        share(m.assessment.distance_covered),
        "yes" if x.illustrative or x.latest_illustrative else "",
        x.latest_source or "",
        found.value if shown and found is not None else None,
        found.figure.period if shown and found is not None else "",
        (found.label if shown else (found.reason if found.value is None else "withheld"))
        if found is not None
        else "",
    ]


def pledges_table(name: str, views: list[PledgeView], signed_in: bool) -> Table:
    """The measures of `views`, one row each (what the xlsx download writes)."""
    rows = [measure_cells(v, m, signed_in) for v in views for m in v.measures]
    return Table(name, "Pledges", MEASURE_COLUMNS, rows)


def csv_rows(table: Table) -> list[list[str]]:
    """The table's rows as CSV text: figures without thousands separators."""
    return [
        [
            figure(c).replace(",", "") if isinstance(c, Decimal) else "" if c is None else str(c)
            for c in cells
        ]
        for cells in table.rows
    ]


def intervention_row(row: Intervention) -> list[Any]:
    return [
        row.table_ref,
        row.table_title or "",
        row.number,
        row.area or "",
        row.description,
        row.timeline or "",
        financial_year_label(row.start_year) if row.start_year else "",
        financial_year_label(row.end_year) if row.end_year else "",
        row.pledge.ref if row.pledge else "",
        "yes" if row.illustrative else "",
        row.note or "",
    ]


TARGET_COLUMNS = ["Year", "Target (£)", "Allocation", "Area"]


def target_rows(view: PledgeView, measure_ref: str) -> list[list[str]]:
    """A measure's yearly targets from the glide path it follows (none when it follows none)."""
    for measure_view in view.measures:
        path = measure_view.path
        if measure_view.measure.ref == measure_ref and path is not None:
            return [
                [year, format_pence(pence), path.allocation, path.area]
                for year, pence in path.targets
            ]
    return []
