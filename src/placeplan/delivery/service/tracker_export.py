"""What the tracker workbook shows for one reporting period, as the plain data io writes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.periods import parse_quarter_or_month
from placeplan.delivery.domain.fields import ACTION_FIELDS, UPDATE_FIELDS
from placeplan.delivery.domain.rows import Rating
from placeplan.delivery.domain.tracker import (
    ExportAction,
    ExportMilestone,
    ExportPlan,
    ExportUpdate,
    TrackerExport,
)
from placeplan.delivery.domain.updates import current_quarter
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryPriority,
    DeliveryTheme,
    DeliveryUpdate,
)
from placeplan.delivery.service.access import internal_plan
from placeplan.delivery.service.reads import action_rows, choose_period
from placeplan.delivery.service.structure import framework, rag_definitions
from placeplan.people.models import User


def tracker_export(
    session: Session, actor: Actor, plan_id: int, period: str | None = None
) -> TrackerExport:
    """The tracker for a period: the latest period with updates by default, or the current
    quarter when nothing has been reported yet."""
    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period) or parse_quarter_or_month(current_quarter())
    actions = list(
        session.scalars(
            select(DeliveryAction)
            .join(DeliveryPriority, DeliveryAction.priority_id == DeliveryPriority.id)
            .join(DeliveryTheme, DeliveryPriority.theme_id == DeliveryTheme.id)
            .where(DeliveryAction.plan_id == plan_id)
            .order_by(DeliveryTheme.position, DeliveryPriority.position, DeliveryAction.position)
            .options(
                selectinload(DeliveryAction.priority).selectinload(DeliveryPriority.theme),
                selectinload(DeliveryAction.body),
                selectinload(DeliveryAction.milestones),
            )
        )
    )
    updates = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period == when.label
            )
        )
    }
    last: dict[int, Rating] = {}
    for row in action_rows(session, plan_id, when):
        before = row.previous if row.current and row.current.period == when.label else row.current
        if before is not None:
            last[row.id] = before
    lead_ids = {a.lead_user_id for a in actions if a.lead_user_id is not None}
    usernames = (
        dict(session.execute(select(User.id, User.username).where(User.id.in_(lead_ids))).all())
        if lead_ids
        else {}
    )
    found = framework(session, plan_id)
    return TrackerExport(
        plan=ExportPlan(plan.id, plan.title),
        period=when,
        rag_definitions=rag_definitions(session, plan_id),
        principles=list(found.principles or []) if found else [],
        plus_groups=list(found.plus_groups or []) if found else [],
        actions=[_exported(a) for a in actions],
        updates={
            action_id: ExportUpdate({k: getattr(u, k) for k in UPDATE_FIELDS}, u.version)
            for action_id, u in updates.items()
        },
        last_rag=last,
        usernames={int(k): str(v) for k, v in usernames.items()},
    )


def _exported(action: DeliveryAction) -> ExportAction:
    return ExportAction(
        id=action.id,
        ref=action.ref,
        theme=action.priority.theme.name,
        priority_ref=action.priority.ref,
        priority=action.priority.statement,
        values={k: getattr(action, k) for k in ACTION_FIELDS},
        body=action.body.name if action.body else None,
        lead_user_id=action.lead_user_id,
        version=action.version,
        milestones=[
            ExportMilestone(m.ref, m.by_text, m.due_date, m.done_date, m.version)
            for m in action.milestones
        ],
    )
