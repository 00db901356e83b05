"""Small-number suppression for published figures: the rule, with no database or web in it.

A figure resting on fewer than 10 people or events is not published (signed-out pages, CSV
downloads and the API for signed-out clients). Hiding only the small count is not enough:

- the value, its interval and the other count of the same cell let one work the count back out
  (a rate times its denominator is its numerator), so a suppressed cell hides all four;
- the cells of a breakdown add up to the published all-persons total, so one hidden cell among
  shown ones is the total minus the rest. Where exactly one cell of a group is hidden for being
  small, the next smallest cell is hidden too (complementary, or secondary, suppression), after
  which only the sum of two hidden cells can be recovered;
- that sum is itself published in effect (the total minus the shown cells), so it must not give
  the hidden cells back either: two hidden zeros sum to 0, which says each is 0. While the hidden
  cells' counts add up to fewer than 10, the next smallest cell is hidden too.

A cell hidden to protect another is labelled for that reason (`COMPLEMENTARY`), not "fewer than
10", which would be untrue of it.

We always treat a breakdown group as adding up to a published total: an incomplete group (an
"unknown" ethnicity left out, say) then loses one cell it need not have, which errs the safe way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

SMALL_NUMBER = 10
SUPPRESSED = "suppressed (fewer than 10)"
COMPLEMENTARY = "withheld so that a small number cannot be worked out"

Reason = Literal["small", "complementary"]


@dataclass(frozen=True)
class Cell:
    key: str
    numerator: Decimal | int | None
    denominator: Decimal | int | None


def label_for(reason: Reason | None) -> str:
    """How a withheld cell reads: why it is withheld."""
    return COMPLEMENTARY if reason == "complementary" else SUPPRESSED


def is_small(count: Decimal | int | None) -> bool:
    """A known count under 10 (zero included: "none" is as disclosive as "one" in a small area)."""
    return count is not None and count < SMALL_NUMBER


def is_primary(cell: Cell) -> bool:
    return is_small(cell.numerator) or is_small(cell.denominator)


def suppress_group(cells: Sequence[Cell]) -> dict[str, Reason]:
    """The cells of one breakdown (e.g. the five IMD quintiles of one period) to withhold, and why.

    Cell keys must be unique within the group."""
    keys = [c.key for c in cells]
    if len(set(keys)) != len(keys):
        raise ValueError("cell keys must be unique within a group")
    hidden: dict[str, Reason] = {c.key: "small" for c in cells if is_primary(c)}
    while hidden and len(hidden) < len(cells) and _disclosed(cells, hidden):
        shown = [(i, c) for i, c in enumerate(cells) if c.key not in hidden]
        hidden[min(shown, key=_size)[1].key] = "complementary"
    return hidden


def _size(item: tuple[int, Cell]) -> tuple[Decimal, Decimal, int]:
    # Unknown counts sort last: a cell with no counts gives the subtraction nothing.
    index, cell = item
    big = Decimal("Infinity")
    return (
        Decimal(cell.numerator) if cell.numerator is not None else big,
        Decimal(cell.denominator) if cell.denominator is not None else big,
        index,
    )


def _disclosed(cells: Sequence[Cell], hidden: dict[str, Reason]) -> bool:
    """Whether the hidden cells, whose sum the total and the shown cells give away, could be
    worked out from it: one alone is its sum; several whose counts add up to fewer than 10 (two
    zeros, say) give away that each is small, and at 0 exactly what each is."""
    if len(hidden) == 1:
        return True
    numerators = [c.numerator for c in cells if c.key in hidden]
    known = [Decimal(n) for n in numerators if n is not None]
    return len(known) == len(numerators) and sum(known, Decimal(0)) < SMALL_NUMBER


def suppress_series(cells: Sequence[Cell]) -> dict[str, Reason]:
    """Cells of a time series (one per period): each stands alone, so only small ones are hidden.

    The periods of a series are not shown as parts of a published total, so no complementary
    cell is hidden. (A series that held both a year and every month of it would let a hidden
    month be worked out from the year; the demo and the imports seen so far carry one frequency
    per metric, and the metric page charts only the metric's own frequency.)"""
    return {c.key: "small" for c in cells if is_primary(c)}
