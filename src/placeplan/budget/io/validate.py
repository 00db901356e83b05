"""Validating the BCF planning workbook: every structural problem and rule result at once, each
placed on the sheet, row and column it concerns."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import IO, Any

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain import rules
from placeplan.budget.domain.core import Budget, BudgetDocument, Finding
from placeplan.budget.io import layout as L
from placeplan.budget.io.read import Parsed, read_parsed
from placeplan.core.errors import InputError
from placeplan.io.grid import Problem

BudgetContext = Callable[[BudgetDocument], Budget]


def read_workbook(
    path: str | os.PathLike[str] | IO[bytes],
) -> tuple[BudgetDocument, dict[str, Any]]:
    """The workbook's budget and the Cover's particulars; InputError at the first problem."""
    parsed = read_parsed(path)
    if parsed.problems:
        raise parsed.error()
    return parsed.document, parsed.meta


def default_budget(document: BudgetDocument) -> Budget:
    """A budget to check a workbook against when no plan is given: one-tier, no baseline."""
    try:
        year_start = int(document.year[:4])
    except ValueError:
        year_start = 0
    return Budget(
        year_start=year_start,
        two_tier=False,
        income=document.income,
        lines=document.lines,
        top_slices=document.top_slices,
    )


def locate_findings(findings: Sequence[Finding], parsed: Parsed) -> list[dict[str, Any]]:
    """Each rule result with the sheet, row and column of what it names."""
    places = parsed.places
    seen: dict[tuple[str, str, str | None], int] = defaultdict(int)
    located = []
    for f in findings:
        sheet: str | None = L.EXPENDITURE
        row: int | None = None
        column = L.FIELD_COLUMNS.get(f.field or "")
        if f.line_id is not None and f.line_id in places.line_rows:
            rows = places.line_rows[f.line_id]
            n = seen[(f.rule, f.line_id, f.field)]
            seen[(f.rule, f.line_id, f.field)] += 1
            if f.rule == "unique-line-ids":
                n += 1
            row = rows[min(n, len(rows) - 1)]
        elif f.rule == "income-equals-expenditure" and f.field:
            if f.field in places.income_rows_by_source:
                sheet, row, column = L.INCOME, places.income_rows_by_source[f.field], "Amount (£)"
            else:
                row = places.source_line_rows.get(f.field)
                column = "Source of funding"
        elif f.rule == "amount-bounds" and f.field == "income":
            sheet, column = L.INCOME, "Amount (£)"
            row = next(
                (
                    r
                    for r, i in zip(places.income_rows, parsed.document.income, strict=True)
                    if not 0 <= i.amount_pence <= cat.MAX_AMOUNT_PENCE
                ),
                None,
            )
        elif f.field is None and f.line_id is None:
            sheet = L.EXPENDITURE
        located.append(
            {
                "rule": f.rule,
                "severity": f.severity,
                "sheet": sheet,
                "row": row,
                "column": column,
                "message": f.message,
            }
        )
    return located


def problems_json(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "rule": p.rule,
            "severity": "error",
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "message": p.message,
        }
        for p in problems
    ]


def validate_parsed(parsed: Parsed, budget_context: BudgetContext | None = None) -> dict[str, Any]:
    if parsed.problems:
        # Rules run on what could be read would mislead (an unreadable amount is not £0), so a
        # workbook with structural problems reports those first.
        return {"valid": False, "findings": problems_json(parsed.problems)}
    budget = (budget_context or default_budget)(parsed.document)
    findings = locate_findings(rules.check(budget), parsed)
    return {
        "valid": not any(f["severity"] == "error" for f in findings),
        "findings": findings,
    }


def validate_workbook(
    path: str | os.PathLike[str] | IO[bytes], budget_context: BudgetContext | None = None
) -> dict[str, Any]:
    """`{"valid", "findings": [{"rule", "severity", "sheet", "row", "column", "message"}]}`.

    `budget_context` turns the workbook's document into the Budget the rules check: pass
    `lambda d: budget_from(session, plan, d)` to check against a plan's area (two-tier districts,
    the NHS baseline); without it the budget is one-tier with no baseline."""
    try:
        parsed = read_parsed(path)
    except InputError as exc:
        return {
            "valid": False,
            "findings": [
                {
                    "rule": "workbook-file",
                    "severity": "error",
                    "sheet": exc.sheet,
                    "row": exc.row,
                    "column": exc.field if exc.sheet else None,
                    "message": exc.message,
                }
            ],
        }
    return validate_parsed(parsed, budget_context)
