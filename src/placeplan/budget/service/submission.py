"""What stops a plan's submission on the budget's account: its error-level rule results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import BudgetDocument, Finding
from placeplan.budget.domain.differences import stated_name
from placeplan.budget.domain.stated import stated_checks
from placeplan.budget.domain.summary import summarise
from placeplan.budget.service.documents import budget_from, document_for, schemes_of
from placeplan.plans.models import Plan


def submission_errors(
    session: Session, plan: Plan, document: BudgetDocument | None = None
) -> list[Finding]:
    """The funding rules the plan's budget breaks: its document (`document`, when the caller has
    read it) and what the rules weigh it against."""
    if plan.kind != "bcf_plan":
        return []
    document = document if document is not None else document_for(session, plan)
    if not document.lines and not document.income:
        return []
    return rules.blocking(rules.check(budget_from(session, plan, document)))


def submission_problems(
    session: Session, plan: Plan, document: BudgetDocument | None = None
) -> list[str]:
    """What in the budget stops the plan being submitted, as messages: the answer to
    plans.submission_problems (placeplan.app.wiring), and the funding rules item of a plan's
    assurance checklist. The caller has checked who may ask."""
    return [f.message for f in submission_errors(session, plan, document)]


# A scheme's key-lines-of-enquiry review counts for a submission when it is this recent.
REVIEW_COUNTS_FOR = timedelta(days=365)


@dataclass(frozen=True)
class BudgetWarnings:
    """What the national template would flag in a budget without stopping its submission."""

    stated_failing: list[str]  # "Total BCF: stated £78,073,138, the budget gives £78,123,515"
    unreviewed: list[str]  # schemes without a review in the year before `today`, by name
    schemes: int


def submission_warnings(session: Session, plan: Plan, today: date) -> BudgetWarnings:
    if plan.kind != "bcf_plan":
        return BudgetWarnings([], [], 0)
    schemes = schemes_of(session, plan.id, with_reviews=True)
    document = document_for(session, plan, schemes)
    failing = [
        f"{stated_name(figure.what, document)}: stated {check.text}, the budget gives {check.shown_as}"
        for figure, check in stated_checks(document, summarise(document.lines))
        if check is not None and not check.agrees
    ]
    since = today - REVIEW_COUNTS_FOR
    unreviewed = [
        scheme.name
        for scheme in schemes
        if not any(since <= review.reviewed_on <= today for review in scheme.reviews)
    ]
    return BudgetWarnings(failing, unreviewed, len(schemes))
