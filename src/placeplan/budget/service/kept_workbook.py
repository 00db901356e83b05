"""A plan's submitted versions (snapshots) as the planning workbook each was."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.io.snapshot import snapshot_workbook
from placeplan.budget.service.snapshots import names_for
from placeplan.budget.service.workbook import context_for, plan_meta
from placeplan.core.actor import Actor
from placeplan.core.errors import NotFound
from placeplan.plans.models import Plan, PlanSnapshot
from placeplan.plans.service import get_plan

NO_BUDGET = "this version was kept before budgets were kept with it"


@dataclass(frozen=True)
class SnapshotWorkbook:
    plan_id: int
    number: int
    filename: str
    content: bytes


def _meta(plan: Plan, content: dict[str, Any]) -> dict[str, Any]:
    """The Cover's particulars as the version kept them (the area's name as it is now)."""
    meta = plan_meta(plan)
    kept = content.get("plan") or {}
    return {
        **meta,
        "title": kept.get("title") or meta["title"],
        "area_code": content.get("area") or meta["area_code"],
        "year": content.get("period") or meta["year"],
    }


def snapshot_workbook_file(
    session: Session, actor: Actor, plan_id: int, number: int
) -> SnapshotWorkbook:
    """Version `number` of plan `plan_id` as its planning workbook, for whoever may read the
    plan; NotFound when there is no such version, or it was kept without its budget."""
    plan = get_plan(session, actor, plan_id)
    snapshot = session.scalar(
        select(PlanSnapshot)
        .where(PlanSnapshot.plan_id == plan.id, PlanSnapshot.number == number)
        .order_by(PlanSnapshot.id)
        .limit(1)
    )
    if snapshot is None:
        raise NotFound(f"plan {plan_id} has no version {number}")
    content = snapshot.content or {}
    budget_part = content.get("budget")
    if not isinstance(budget_part, dict):
        raise NotFound(NO_BUDGET)
    meta = _meta(plan, content)
    workbook = snapshot_workbook(meta, budget_part, context_for(session, plan), names_for(session))
    year = meta["year"] or budget_part.get("year") or ""
    filename = f"{meta['area_code'] or 'system'}-bcf-{year}-version-{number}.xlsx"
    return SnapshotWorkbook(plan.id, number, filename, workbook)
