"""What a plan holds beyond its particulars, gathered from the concepts that keep it: the answers
to the plans' content and submission hooks. The composition root is the one place that knows
every concept a plan draws on (its budget, its ambitions, its narrative)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.budget.models import BudgetRevision
from placeplan.budget.service.snapshots import part_differences, snapshot_part
from placeplan.budget.service.submission import submission_warnings as budget_warnings
from placeplan.core.differences import Section
from placeplan.measures.models import Ambition, AmbitionsRevision, Metric
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
    """The plan's content token: a digest of its particulars (title, summary, kind, period), its
    area's and system's row versions (their names), the per-plan revision tokens of its budget,
    its ambitions and its narrative, and the versions of the metrics and areas its ambitions name,
    all in one read. Nothing in it moves when the plan is only published or decided, or when a
    measurement is written, so a version's token still stands for as long as what it approved
    does (plans.service.versions.known_fingerprint)."""

    def of(model: type[Any], column: Any) -> Any:
        return select(model.token).where(column == plan.id).scalar_subquery()

    # An ambition quotes its metric's and area's names; versions only go up, so the sum moves
    # whenever one of them is renamed.
    names = (
        select(func.coalesce(func.sum(Metric.version + Area.version), 0))
        .select_from(Ambition)
        .join(Metric, Metric.id == Ambition.metric_id)
        .join(Area, Area.id == Ambition.area_id)
        .where(Ambition.plan_id == plan.id)
        .scalar_subquery()
    )
    budget, ambitions, narrative, named = session.execute(
        select(
            of(BudgetRevision, BudgetRevision.plan_id),
            of(AmbitionsRevision, AmbitionsRevision.plan_id),
            of(NarrativeRevision, NarrativeRevision.plan_id),
            names,
        )
    ).one()
    particulars = json.dumps(
        [plan.title, plan.summary, plan.kind, str(plan.period_start), str(plan.period_end)]
    )
    digest = hashlib.sha256(particulars.encode()).hexdigest()[:32]
    area = plan.area.version if plan.area else None
    system = plan.system.version if plan.system else None
    return f"{digest}.{area}.{system}.{budget}.{ambitions}.{narrative}.{named}"


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
