"""A plan's submitted version as the planning workbook it was: the budget a snapshot kept (the
mapping `budget.domain.document.document_from_mapping` reads, as the demo's YAML is) written as
the workbook, with the rule results worked out again for that budget."""

from __future__ import annotations

from typing import Any

from placeplan.budget.domain import rules
from placeplan.budget.domain.differences import Names
from placeplan.budget.domain.document import document_from_mapping
from placeplan.budget.io.validate import BudgetContext, default_budget
from placeplan.budget.io.write import workbook_bytes


def snapshot_workbook(
    plan_meta: dict[str, Any],
    budget_part: dict[str, Any],
    context: BudgetContext | None = None,
    names: Names | None = None,
) -> bytes:
    """The workbook of the budget `budget_part` describes, its Cover filled from `plan_meta`.

    `context` turns the document into the Budget the rules check (the plan's area: its district
    councils and NHS baseline); without it the budget is one-tier with no baseline."""
    document = document_from_mapping(budget_part, file="the plan's kept version")
    budget = (context or default_budget)(document)
    return workbook_bytes(plan_meta, document, rules.check(budget), budget, names)
