"""Shared helpers for the workbook tests: a budget that exercises every column, and a snapshot of
a workbook's cells and styles to compare exports by."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import (
    BudgetDocument,
    ExpenditureLine,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.budget.io import default_budget, write_workbook

HOSTILE = "=cmd|' /C calc'!A0"
META = {
    "title": "County BCF 2025-26",
    "area_code": "E10000018",
    "area_name": "Leicestershire",
    "year": "2025-26",
}


def _line(scheme: SchemeInfo, line_id: str, source: str, amount: int, **kw: Any) -> ExpenditureLine:
    base: dict[str, Any] = dict(
        line_id=line_id,
        scheme_id=scheme.scheme_id,
        scheme_name=scheme.name,
        scheme_type=scheme.scheme_type,
        category=scheme.category,
        funding_source=source,
        amount_pence=amount,
        area_of_spend="social_care",
        commissioner="la",
        provider="local_authority",
    )
    base.update(kw)
    return ExpenditureLine(**base)


def sample_document(extra_nhs_income: int = 0) -> BudgetDocument:
    """A budget that passes every error-level rule in a one-tier area (the test world's county)."""
    home = SchemeInfo(
        "S1",
        "Home care",
        "home_care_or_domiciliary_care",
        "community_and_prevention",
        "Domiciliary care packages",
        date(2025, 4, 1),
        date(2026, 3, 31),
        "People stay at home",
        ("emergency_admissions_65_plus", "long_term_admissions_65_plus"),
        ("Home first", "Prevention; early help"),
    )
    beds = SchemeInfo(
        "S2", "Step-down beds", "bed_based_intermediate_care", "intermediate_care_and_discharge"
    )
    dfg = SchemeInfo("S3", "Adaptations", "dfg_related_schemes", "community_and_prevention")
    odd = SchemeInfo(
        "S4",
        HOSTILE,
        "other",
        "acute",
        "  leading and trailing spaces  ",
        metrics=("discharge_delay",),
        illustrative=True,
    )
    empty = SchemeInfo("S5", "Planned for later", "carers_services", "community_and_prevention")
    lines = (
        _line(
            home,
            "S1-1",
            "nhs_minimum",
            1_234_567_89,
            new_pence=100_000_00,
            commissioner="joint",
            nhs_share=Decimal("40.5"),
            planned_outputs=Decimal("52000"),
            output_unit="hours of care",
            provider="private_sector",
        ),
        _line(
            home,
            "S1-2",
            "better_care_grant",
            500_000_01,
            planned_outputs=Decimal("20000.5"),
            output_unit="hours of care",
            description="=SUM(A1:A9)",
        ),
        _line(
            beds,
            "S2-1",
            "nhs_minimum",
            321_000_00,
            sub_type="step_down_p2",
            area_of_spend="community_health",
            commissioner="nhs",
            provider="nhs_community",
            planned_outputs=Decimal(120),
            output_unit="placements",
            illustrative=True,
        ),
        _line(
            dfg,
            "S3-1",
            "dfg",
            450_000_00,
            area_of_spend="other",
            planned_outputs=Decimal(300),
            output_unit="adaptations",
        ),
        _line(odd, "S4-1", "better_care_grant", 99, description="A short note\nover two lines"),
    )
    income = (
        IncomeLine("nhs_minimum", 1_234_567_89 + 321_000_00 + extra_nhs_income, "icb"),
        IncomeLine("better_care_grant", 500_000_01 + 99, "county", "Grant", True),
        IncomeLine("dfg", 450_000_00),
    )
    return BudgetDocument(
        year="2025-26",
        schemes=(home, beds, dfg, odd, empty),
        lines=lines,
        income=income,
        top_slices=(TopSlice("county-hwb", date(2025, 3, 27), 10_000_00, "Hoarding support"),),
        stated=(StatedFigure("total", "£2,505,568.89", "narrative, section 2"),),
    )


def snapshot(path: Path | str) -> dict[str, Any]:
    """Every sheet's cells (value, type, each style part, hyperlink) and sheet-level settings."""
    wb = load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                cells[c.coordinate] = (
                    c.value,
                    c.data_type,
                    # style proxies compare by identity: compare what they stand for
                    repr(c.font),
                    repr(c.fill),
                    repr(c.border),
                    c.number_format,
                    repr(c.alignment),
                    repr(c.protection),
                    c.hyperlink.location if c.hyperlink else None,
                )
        out[ws.title] = {
            "state": ws.sheet_state,
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1, v.formula2)
                for v in ws.data_validations.dataValidation
            ),
            "cells": cells,
        }
    return out


def write(path: Path, document=None, meta=None) -> Path:
    document = document or sample_document()
    findings = rules.check(default_budget(document))
    write_workbook(path, meta or META, document, findings)
    return path


def edit(path: Path, sheet: str, cell: str, value) -> Path:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    return path
