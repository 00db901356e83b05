"""The BCF planning workbook: bytes <-> BudgetDocument.

layout (sheets, columns, styles), cells + write (writing), rows + read (reading, every problem
named by sheet, row and column), validate (problems and rule results placed on the sheet).
Creating records from a workbook is the budget service's job (budget.service.workbook)."""

from __future__ import annotations

from placeplan.io.bcf.read import Parsed, Places, read_parsed
from placeplan.io.bcf.validate import (
    BudgetContext,
    default_budget,
    locate_findings,
    read_workbook,
    validate_parsed,
    validate_workbook,
)
from placeplan.io.bcf.write import write_workbook

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
