"""Who is left behind, as plain figures: the breakdowns a page shows and in what order, and the
cells, tables and gaps a reader gets. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from placeplan.measures.domain.equity import GapTrend, QuintileGap
from placeplan.measures.domain.intervals import Interval
from placeplan.measures.domain.standardise import parse_band
from placeplan.measures.domain.suppression import Reason

# The breakdowns a page shows, in this order (the `breakdown` column of an import).
KINDS: dict[str, str] = {
    "imd_quintile": "Deprivation: IMD quintile (1 is the most deprived fifth)",
    "ethnicity": "Ethnic group",
    "sex": "Sex",
    "age_band": "Age band",
    "plus_group": "PLUS groups",
}
QUINTILE_NAMES = {"1": "1 (most deprived)", "5": "5 (least deprived)"}


@dataclass(frozen=True)
class Figure:
    """One cell: a breakdown value's figure, and whether it is withheld from this reader."""

    key: str
    label: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal
    interval: Interval | None
    recomputable: bool
    illustrative: bool
    source: str | None
    small: Reason | None  # why the public does not see it, if it does not
    withheld: bool  # hidden from this reader


@dataclass(frozen=True)
class Table:
    kind: str
    title: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Breakdowns:
    periods: tuple[str, ...]  # periods that have any breakdown, oldest first
    period: str | None
    total: Figure | None  # the all-persons figure of the chosen period
    tables: tuple[Table, ...]
    gap: QuintileGap | None  # None when quintile 1 or 5 is missing or withheld
    gap_withheld: bool
    trend: GapTrend | None  # over periods whose quintiles 1 and 5 this reader may see
    no_total: str | None = None  # why there is no all-people figure, where one is known


def order_key(kind: str, value: str) -> tuple[int, str]:
    if kind == "imd_quintile" and value.isdigit():
        return int(value), value
    if kind == "age_band":
        try:
            return parse_band(value).lower, value
        except Exception:  # an unparsed band sorts last, by name
            return 10_000, value
    return 0, value.lower()


def cells(found: Breakdowns) -> list[tuple[str, Figure]]:
    """Every figure of `found` with its breakdown kind, the all-persons figure first."""
    out = [("all", found.total)] if found.total is not None else []
    return out + [(t.kind, f) for t in found.tables for f in t.figures]
