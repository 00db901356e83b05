"""The BCF planning workbook: bytes <-> BudgetDocument.

layout (sheets, columns, styles), cells + write (writing), rows + read (reading, every problem
named by sheet, row and column), validate (problems and rule results placed on the sheet).
Creating records from a workbook is the budget service's job (budget.service.workbook)."""

from __future__ import annotations

from placeplan.budget.io.read import Parsed, Places, read_parsed
from placeplan.budget.io.validate import (
    BudgetContext,
    default_budget,
    locate_findings,
    read_workbook,
    validate_parsed,
    validate_workbook,
)
from placeplan.budget.io.write import write_workbook

__all__ = [
    "BudgetContext",
    "Parsed",
    "Places",
    "default_budget",
    "locate_findings",
    "read_parsed",
    "read_workbook",
    "validate_parsed",
    "validate_workbook",
    "write_workbook",
]
