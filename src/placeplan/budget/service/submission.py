"""What stops a plan's submission on the budget's account: its error-level rule results."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import Finding
from placeplan.budget.service.documents import budget_from, document_for
from placeplan.plans.models import Plan


def submission_errors(session: Session, plan: Plan) -> list[Finding]:
    if plan.kind != "bcf_plan":
        return []
    document = document_for(session, plan)
    if not document.lines and not document.income:
        return []
    return rules.blocking(rules.check(budget_from(session, plan, document)))


def submission_problems(session: Session, plan: Plan) -> list[str]:
    """What in the budget stops the plan being submitted, as messages: the answer to
    plans.submission_problems (placeplan.app.wiring)."""
    return [f.message for f in submission_errors(session, plan)]
