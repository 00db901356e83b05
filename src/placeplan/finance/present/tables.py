"""The model's tables as the page shows them: £000, negatives in brackets as the seed prints
them, a dash for nothing; and the CSV rows of each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from placeplan.finance.domain.compute import Result
from placeplan.finance.domain.model import year_label
from placeplan.finance.domain.tables import (
    Table,
    bridge_table,
    challenge_table,
    strategy_table,
    thousands,
)
from placeplan.finance.service import Computed


def shown(pence: int | None) -> str:
    """£000 as the seed prints it: 1,234, (1,234) for a deficit, - for nothing."""
    if pence is None:
        return ""
    value = thousands(pence)
    if value == 0:
        return "-"
    return f"({-value:,})" if value < 0 else f"{value:,}"


@dataclass(frozen=True)
class Shown:
    """A table ready for the page: its title, columns and rows of text."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...], bool], ...]


def _shown(key: str, table: Table) -> Shown:
    return Shown(
        key,
        table.title,
        table.columns,
        tuple((row.label, tuple(shown(c) for c in row.cells), row.total) for row in table.rows),
    )


def page_tables(result: Result) -> tuple[Shown, ...]:
    return (
        _shown("challenge", challenge_table(result)),
        _shown("bridge", bridge_table(result)),
        _shown("strategy", strategy_table(result)),
    )


def position_series(result: Result) -> list[tuple[str, int, int]]:
    """(year, do-nothing total, proposal total) in pence, for the line chart and its table."""
    return [
        (year_label(dn.year), dn.total, pr.total)
        for dn, pr in zip(result.do_nothing.rows, result.proposal.rows, strict=True)
    ]


def side_by_side(seen: Sequence[Computed]) -> dict[str, Any]:
    """Models side by side: the headline challenges, then each year's total position (£000)."""
    if not seen:
        return {"names": [], "rows": []}
    years = [year_label(y) for y in seen[0].model.years]
    rows: list[tuple[str, list[str]]] = [
        ("Do nothing challenge", [shown(c.result.do_nothing.total) for c in seen]),
        ("Proposal challenge", [shown(c.result.proposal_challenge) for c in seen]),
        ("Impact on uplifts", [shown(c.result.proposal.impact) for c in seen]),
    ]
    for i, year in enumerate(years):
        rows.append(
            (
                f"Financial position {year}",
                [
                    shown(c.result.proposal.rows[i].total)
                    if i < len(c.result.proposal.rows)
                    else ""
                    for c in seen
                ],
            )
        )
    return {"names": [(c.record.id, c.record.name) for c in seen], "rows": rows}
