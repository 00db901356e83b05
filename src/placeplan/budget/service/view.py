"""The budget page's view of a plan: its document, summary, rule results, stated figures and the
latest review of each scheme, computed from one load of the plan's schemes and lines and reused
while the plan's budget revision token stands."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import BudgetDocument, Finding, StatedFigure
from placeplan.budget.domain.differences import Names
from placeplan.budget.domain.stated import StatedCheck, stated_checks
from placeplan.budget.domain.summary import SchemeChange, Summary, compare, summarise
from placeplan.budget.service.documents import budget_from, document_for, schemes_of
from placeplan.budget.service.revisions import REVISIONS
from placeplan.budget.service.snapshots import names_for
from placeplan.core.actor import Actor
from placeplan.core.permissions import can_edit_plan
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.revisions import ReuseCache


@dataclass(frozen=True)
class SchemeRef:
    id: int
    name: str


@dataclass(frozen=True)
class LatestReview:
    reviewed_on: date
    recommendation: str


@dataclass(frozen=True)
class BudgetView:
    plan: Plan
    document: BudgetDocument
    summary: Summary
    findings: list[Finding]
    stated: list[tuple[StatedFigure, StatedCheck | None]]
    scheme_ids: dict[str, int]  # expenditure line id -> the database id of its scheme
    reviews: list[tuple[SchemeRef, LatestReview | None]]  # each scheme with its latest review
    line_ids: dict[str, tuple[int, int]]  # expenditure line id -> (database id, version)
    names: Names  # the organisations and bodies the document names by key, by name


# Computed views, reused while the plan's budget revision token is unchanged. The token changes in
# the same transaction as any budget write, in whichever process; the TTL bounds the staleness of
# what the token does not cover (a district joining or leaving an area).
VIEW_TTL = 60.0
_views: ReuseCache[BudgetView] = ReuseCache(size=256, ttl=VIEW_TTL)


def _compute(session: Session, plan: Plan) -> BudgetView:
    schemes = schemes_of(session, plan.id, with_reviews=True)
    document = document_for(session, plan, schemes)
    summary = summarise(document.lines)
    findings = rules.check(budget_from(session, plan, document))
    return BudgetView(
        plan,
        document,
        summary,
        findings,
        stated_checks(document, summary),
        scheme_ids={row.ref: scheme.id for scheme in schemes for row in scheme.lines},
        reviews=[
            (
                SchemeRef(scheme.id, scheme.name),
                LatestReview(scheme.reviews[0].reviewed_on, scheme.reviews[0].recommendation)
                if scheme.reviews
                else None,
            )
            for scheme in schemes
        ],
        line_ids={row.ref: (row.id, row.version) for scheme in schemes for row in scheme.lines},
        names=names_for(session),
    )


def view(session: Session, actor: Actor, plan_id: int) -> BudgetView:
    """Everything the budget page shows, from one load of the plan's schemes and lines."""
    return _view_of(session, get_plan(session, actor, plan_id))


def _view_of(session: Session, plan: Plan) -> BudgetView:
    token = REVISIONS.token(session, plan.id)
    key = (str(session.get_bind().engine.url), plan.id)
    computed = _views.get_or_make(key, token, lambda: _compute(session, plan))
    return computed if computed.plan is plan else replace(computed, plan=plan)


def can_edit_budget(actor: Actor, plan: Plan) -> bool:
    """Whether the actor edits this plan's budget (lines, reviews, the workbook upload)."""
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def previous_plan(session: Session, plan: Plan) -> Plan | None:
    if plan.area_id is None:
        return None
    return session.scalar(
        select(Plan)
        .where(Plan.area_id == plan.area_id)
        .where(Plan.kind == plan.kind)
        .where(Plan.period_start < plan.period_start)
        .order_by(Plan.period_start.desc())
        .limit(1)
    )


def changes_since_previous(
    session: Session, plan: Plan, current: BudgetDocument | None = None
) -> tuple[Plan | None, list[SchemeChange]]:
    """`current` is the plan's document when the caller already has it (the budget page does)."""
    before = previous_plan(session, plan)
    if before is None:
        return None, []
    now = current if current is not None else document_for(session, plan)
    return before, compare(document_for(session, before).lines, now.lines)
