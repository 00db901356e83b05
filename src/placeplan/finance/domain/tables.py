"""The model's results laid out as the LLR Five-Year Plan lays them out (seed 003): the
do-nothing challenge by year (Table 17), the period's bridge (Table 18) and the proposal by year
(Table 19). Cells are pence (None where the seed leaves a cell empty); `thousands` rounds a cell
to £000 as the seed prints it, each cell on its own (halves away from zero), so a printed
column can differ from the sum of its printed cells by the rounding. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from placeplan.finance.domain.compute import Position, Result
from placeplan.finance.domain.model import year_label


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[int | None, ...]
    total: bool = False  # a position rather than an amount: shown in bold


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def row(self, label: str) -> Row:
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(label)


def thousands(pence: int) -> int:
    """Pence to £000, halves away from zero."""
    return int((Decimal(pence) / 100_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _years(result: Result) -> tuple[str, ...]:
    return tuple(year_label(y) for y in result.model.years)


def challenge_table(result: Result) -> Table:
    """Table 17: the do-nothing position year by year, with a column for the whole period."""
    model, position = result.model, result.do_nothing
    n = len(model.years)
    blanks: tuple[None, ...] = (None,) * n
    before = year_label(model.first_year - 1)
    rows = [
        Row(f"{before} plan", (model.opening.plan_position, *blanks)),
        Row(f"Remove {before} non-recurrent items", (-model.opening.non_recurrent, *blanks)),
        Row(
            "Opening surplus/(deficit)",
            (*(r.opening for r in position.rows), position.opening),
            total=True,
        ),
    ]
    rows += _line_rows(position, recurrent=True, with_total=True)
    if position.impact:
        rows.append(Row("Impact on uplifts", (*(r.impact for r in position.rows), position.impact)))
    rows.append(
        Row(
            "Recurrent surplus/(deficit)",
            (*(r.recurrent for r in position.rows), position.recurrent_end),
            total=True,
        )
    )
    rows += _line_rows(position, recurrent=False, with_total=True)
    rows.append(
        Row(
            "Total surplus/(deficit)",
            (*(r.total for r in position.rows), position.total),
            total=True,
        )
    )
    rows.append(Row("Total movement in period", (*(r.movement for r in position.rows), None)))
    return Table(
        "Modelling the financial challenge if nothing is done",
        (*_years(result), f"{n} years"),
        tuple(rows),
    )


def _line_rows(position: Position, *, recurrent: bool, with_total: bool) -> list[Row]:
    rows = []
    for line in position.lines:
        if line.recurrent != recurrent:
            continue
        cells = tuple(r.amounts.get(line.key, 0) for r in position.rows)
        rows.append(Row(line.name, (*cells, sum(cells)) if with_total else cells))
    return rows


def bridge_table(result: Result) -> Table:
    """Table 18: the period's bridge, one column."""
    return Table(
        f"{len(result.model.years)}-year financial strategy summary",
        ("System",),
        tuple(Row(step.label, (step.amount,), total=step.subtotal) for step in result.bridge),
    )


def strategy_table(result: Result) -> Table:
    """Table 19: the proposal's own lines year by year, the impact on uplifts, and the
    financial position (the proposal's total surplus or deficit in each year)."""
    proposal = result.proposal
    rows = [
        Row(line.name, tuple(r.amounts.get(line.key, 0) for r in proposal.rows))
        for line in proposal.lines
        if line.stage == "proposal"
    ]
    impact = tuple(
        r.impact - d.impact for r, d in zip(proposal.rows, result.do_nothing.rows, strict=True)
    )
    if any(impact):
        rows.append(Row("Impact on uplifts", impact))
    rows.append(Row("Financial position", tuple(r.total for r in proposal.rows), total=True))
    return Table("Year-by-year financial strategy summary", _years(result), tuple(rows))
