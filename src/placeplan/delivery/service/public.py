"""The public view of a published delivery plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.errors import NotFound
from placeplan.delivery.domain import rules
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryPriority,
    DeliveryTheme,
    DeliveryUpdate,
)
from placeplan.plans.models import Plan


def public_view(session: Session, plan_id: int) -> dict[str, Any]:
    """A published plan as the public microsite lays it out: Ambition / We will / By / I will,
    with progress. Nothing internal: no RAG, internal commentary, risks, decisions or contacts."""
    plan = session.get(Plan, plan_id)
    if plan is None or plan.status != "published":
        raise NotFound(f"no plan {plan_id}")
    themes = session.scalars(
        select(DeliveryTheme)
        .where(DeliveryTheme.plan_id == plan_id)
        .order_by(DeliveryTheme.position)
        .options(
            selectinload(DeliveryTheme.priorities)
            .selectinload(DeliveryPriority.actions)
            .selectinload(DeliveryAction.milestones)
        )
    )
    latest: dict[int, tuple[str, str | None]] = {}
    for action_id, period, text in session.execute(
        select(DeliveryUpdate.action_id, DeliveryUpdate.period, DeliveryUpdate.public_commentary)
        .where(DeliveryUpdate.plan_id == plan_id)
        .order_by(DeliveryUpdate.period_end)
    ):
        latest[action_id] = (period, text)
    today = date.today()
    return {
        "plan": {"id": plan.id, "title": plan.title, "summary": plan.summary},
        "themes": [
            {
                "ref": t.ref,
                "name": t.name,
                "ambition": t.ambition,
                "priorities": [
                    {
                        "ref": p.ref,
                        "we_will": p.statement,
                        "outcome": p.outcome_statement,
                        "actions": [
                            {
                                "ref": a.ref,
                                "we_will": a.we_will,
                                "i_will": a.i_will,
                                "stage": rules.STAGES.get(a.stage, a.stage),
                                "by": [
                                    {
                                        "text": m.by_text,
                                        "due": m.due_date.isoformat() if m.due_date else None,
                                        "done": m.done_date is not None and m.done_date <= today,
                                    }
                                    for m in a.milestones
                                ],
                                "milestones_done": sum(
                                    1 for m in a.milestones if m.done_date and m.done_date <= today
                                ),
                                "progress": latest.get(a.id, (None, None))[1],
                                "progress_period": latest.get(a.id, (None, None))[0],
                            }
                            for a in p.actions
                        ],
                    }
                    for p in t.priorities
                ],
            }
            for t in themes
        ],
    }
