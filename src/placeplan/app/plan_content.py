"""What a plan holds beyond its particulars, gathered from the concepts that keep it: the answers
to the plans' content and submission hooks. The composition root is the one place that knows
every concept a plan draws on (its budget, its ambitions, its narrative)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.models import BudgetRevision
from placeplan.budget.service.snapshots import part_differences, snapshot_part
from placeplan.budget.service.submission import submission_warnings as budget_warnings
from placeplan.core.differences import Section
from placeplan.measures.models import MeasuresRevision
from placeplan.measures.service.revisions import SCOPE as MEASURES_SCOPE
from placeplan.measures.service.snapshot import (
    ambitions_part,
    ambitions_sections,
    metrics_without_ambitions,
)
from placeplan.narrative.models import NarrativeRevision
from placeplan.narrative.service.content import narrative_part, narrative_sections
from placeplan.plans.domain import SubmissionWarning
from placeplan.plans.models import Plan


def parts(session: Session, plan: Plan) -> dict[str, Any]:
    found = {"budget": snapshot_part(session, plan), "ambitions": ambitions_part(session, plan)}
    # Only a plan with a narrative holds one: versions kept before it keep their fingerprints.
    narrative = narrative_part(session, plan)
    if narrative is not None:
        found["narrative"] = narrative
    return found


def token(session: Session, plan: Plan) -> str:
    """The plan's content token: its row's version (title, summary, period), its area's and
    system's (their names), and the revision tokens of its budget, the measures (its ambitions)
    and its narrative, each renewed in its writer's transaction. The three tokens in one read."""

    def of(model: type[Any], column: Any, scope: int) -> Any:
        return select(model.token).where(column == scope).scalar_subquery()

    budget, measures, narrative = session.execute(
        select(
            of(BudgetRevision, BudgetRevision.plan_id, plan.id),
            of(MeasuresRevision, MeasuresRevision.id, MEASURES_SCOPE),
            of(NarrativeRevision, NarrativeRevision.plan_id, plan.id),
        )
    ).one()
    area = plan.area.version if plan.area else None
    system = plan.system.version if plan.system else None
    return f"{plan.version}.{area}.{system}.{budget}.{measures}.{narrative}"


def sections(session: Session, before: dict[str, Any], after: dict[str, Any]) -> list[Section]:
    return [
        *part_differences(session, before.get("budget"), after.get("budget")),
        *ambitions_sections(before.get("ambitions"), after.get("ambitions")),
        *narrative_sections(before.get("narrative"), after.get("narrative")),
    ]


def warnings(session: Session, plan: Plan, today: date) -> list[SubmissionWarning]:
    budget = budget_warnings(session, plan, today)
    found: list[SubmissionWarning] = []
    if budget.stated_failing:
        found.append(
            SubmissionWarning(
                "stated-figures",
                f"{len(budget.stated_failing)} figure(s) the plan states do not agree with its"
                " budget",
                tuple(budget.stated_failing),
            )
        )
    if budget.unreviewed:
        found.append(
            SubmissionWarning(
                "reviews",
                f"{len(budget.unreviewed)} of {budget.schemes} schemes have no key-lines-of-"
                "enquiry review in the past year",
                tuple(budget.unreviewed),
            )
        )
    missing = metrics_without_ambitions(session, plan)
    if missing:
        found.append(
            SubmissionWarning(
                "ambitions",
                f"{len(missing)} metric(s) the schemes name have no ambition in this plan",
                tuple(missing),
            )
        )
    return found
