"""The budget as plain values: what rules, summaries and the workbook work on. No database here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class IncomeLine:
    source: str
    amount_pence: int
    contributor: str | None = None  # organisation key: the ICB, or a district's share of the DFG
    note: str | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class ExpenditureLine:
    line_id: str
    scheme_id: str
    scheme_name: str
    scheme_type: str
    category: str
    funding_source: str
    amount_pence: int
    new_pence: int = 0
    sub_type: str | None = None
    area_of_spend: str | None = None
    commissioner: str | None = None
    nhs_share: Decimal | None = None  # percent NHS, for joint commissioning
    provider: str | None = None
    district: str | None = None  # for DFG passed to a district council
    planned_outputs: Decimal | None = None
    output_unit: str | None = None
    description: str | None = None
    illustrative: bool = False


@dataclass(frozen=True)
class TopSlice:
    """Part of the DFG kept back from the districts, by the partners' recorded agreement."""

    body: str
    decided_on: date
    amount_pence: int
    purpose: str


@dataclass(frozen=True)
class Budget:
    year_start: int  # the financial year's first calendar year: 2025 for 2025-26
    two_tier: bool
    income: tuple[IncomeLine, ...] = ()
    lines: tuple[ExpenditureLine, ...] = ()
    top_slices: tuple[TopSlice, ...] = ()
    nhs_asc_baseline_pence: int | None = None  # the previous year's NHS contribution to ASC
    nhs_asc_uplift_percent: Decimal | None = None
    districts: tuple[str, ...] = field(default=())  # district councils of a two-tier area


@dataclass(frozen=True)
class Finding:
    """One rule result: an error blocks submission, a warning does not."""

    rule: str
    severity: str  # error | warning
    message: str
    line_id: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class SchemeInfo:
    scheme_id: str
    name: str
    scheme_type: str
    category: str
    description: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    desired_outcomes: str | None = None
    metrics: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    illustrative: bool = False


@dataclass(frozen=True)
class StatedFigure:
    what: str  # "total", "new", "category:<key>", "new:<key>", "share:<key>"
    text: str  # as the document writes it: "£78,073,138", "72.4%"
    source: str | None = None


@dataclass(frozen=True)
class BudgetDocument:
    """A whole budget as it travels in and out: the workbook, the demo files, the API."""

    year: str
    schemes: tuple[SchemeInfo, ...] = ()
    lines: tuple[ExpenditureLine, ...] = ()
    income: tuple[IncomeLine, ...] = ()
    top_slices: tuple[TopSlice, ...] = ()
    stated: tuple[StatedFigure, ...] = ()
