"""The BCF planning workbook: bytes <-> BudgetDocument.

layout (sheets, columns, styles), cells + write + summary (writing; the Summary and the Cover's
checklist are formulas), snapshot (a kept version's budget as its workbook), rows + read
(reading, every problem named by sheet, row and column), validate (problems and rule results
placed on the sheet).
Creating records from a workbook is the budget service's job (budget.service.workbook)."""

from __future__ import annotations

from placeplan.budget.io.read import Parsed, Places, read_parsed
from placeplan.budget.io.snapshot import snapshot_workbook
from placeplan.budget.io.validate import (
    BudgetContext,
    default_budget,
    locate_findings,
    read_workbook,
    validate_parsed,
    validate_workbook,
)
from placeplan.budget.io.write import workbook_bytes, write_workbook

__all__ = [
    "BudgetContext",
    "Parsed",
    "Places",
    "default_budget",
    "locate_findings",
    "read_parsed",
    "read_workbook",
    "validate_parsed",
    "snapshot_workbook",
    "validate_workbook",
    "workbook_bytes",
    "write_workbook",
]
