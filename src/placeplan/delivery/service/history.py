"""A plan's history by period: each action's overall rating in each reporting period, as the
seed's tracker keeps it (one column per period)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.delivery.domain.rows import ActionRow
from placeplan.delivery.models import DeliveryUpdate
from placeplan.delivery.service.access import internal_plan
from placeplan.delivery.service.reads import action_rows, periods_with_updates
from placeplan.plans.models import Plan


@dataclass(frozen=True)
class History:
    plan: Plan
    periods: list[str]  # oldest first
    rows: list[tuple[ActionRow, dict[str, str]]]  # each action with its rating by period


def rag_history(session: Session, actor: Actor, plan_id: int) -> History:
    """Every action in the tracker's order, with the overall rating recorded for it in each
    period that has any update (no entry: not rated in that period)."""
    plan = internal_plan(session, actor, plan_id)
    ratings: dict[int, dict[str, str]] = {}
    for action_id, period, overall in session.execute(
        select(DeliveryUpdate.action_id, DeliveryUpdate.period, DeliveryUpdate.overall_rag).where(
            DeliveryUpdate.plan_id == plan_id
        )
    ):
        ratings.setdefault(action_id, {})[period] = overall
    rows = [(row, ratings.get(row.id, {})) for row in action_rows(session, plan_id, None)]
    return History(plan, periods_with_updates(session, plan_id), rows)
