"""Reading a plan's tracker: every action with its latest ratings as at a period's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.periods import QuarterOrMonth, parse_quarter_or_month
from placeplan.delivery.domain.rows import ActionRow, Rating
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryFramework,
    DeliveryMilestone,
    DeliveryPriority,
    DeliveryTheme,
    DeliveryUpdate,
)
from placeplan.delivery.service.access import internal_plan
from placeplan.delivery.service.structure import framework, rag_definitions
from placeplan.governance.models import Body
from placeplan.plans.models import Plan


def periods_with_updates(session: Session, plan_id: int) -> list[str]:
    rows = session.execute(
        select(DeliveryUpdate.period, DeliveryUpdate.period_end)
        .where(DeliveryUpdate.plan_id == plan_id)
        .distinct()
    ).all()
    return [p for p, _ in sorted(rows, key=lambda r: (r[1], r[0]))]


def latest_period_by(session: Session, plan_id: int, at: date) -> str | None:
    """The latest period with any update that had ended by `at` (None when none had): the
    period a report as at that date is of."""
    rows = session.execute(
        select(DeliveryUpdate.period, DeliveryUpdate.period_end)
        .where(DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period_end <= at)
        .distinct()
    ).all()
    return max(rows, key=lambda r: (r[1], r[0]))[0] if rows else None


def choose_period(session: Session, plan_id: int, period: str | None) -> QuarterOrMonth | None:
    """The period asked for, or the latest with any update; None when nothing was reported yet."""
    if period:
        return parse_quarter_or_month(period)
    known = periods_with_updates(session, plan_id)
    return parse_quarter_or_month(known[-1]) if known else None


def body_id_of(session: Session, body: int | str | None) -> int | None:
    if body is None or body == "":
        return None
    if isinstance(body, int) or str(body).isdigit():
        found = session.get(Body, int(body))
    else:
        found = session.scalar(select(Body).where(Body.key == str(body)))
    if found is None:
        raise InputError(f"no governance body {body}", field="body")
    return found.id


def action_rows(
    session: Session,
    plan_id: int,
    when: QuarterOrMonth | None,
    body_id: int | None = None,
    lead_user_id: int | None = None,
) -> list[ActionRow]:
    """Every action of the plan in order, with its latest rating at or before the period (and the
    one before that, for the change), and its milestones overdue as at the period's end."""
    query = (
        select(
            DeliveryAction.id,
            DeliveryAction.ref,
            DeliveryAction.we_will,
            DeliveryAction.stage,
            DeliveryTheme.name,
            DeliveryPriority.ref,
            DeliveryPriority.statement,
            DeliveryAction.body_id,
            Body.name,
            DeliveryAction.lead_contacts,
            DeliveryAction.lead_user_id,
            DeliveryAction.due_date,
            DeliveryAction.version,
        )
        .join(DeliveryPriority, DeliveryAction.priority_id == DeliveryPriority.id)
        .join(DeliveryTheme, DeliveryPriority.theme_id == DeliveryTheme.id)
        .outerjoin(Body, DeliveryAction.body_id == Body.id)
        .where(DeliveryAction.plan_id == plan_id)
        .order_by(DeliveryTheme.position, DeliveryPriority.position, DeliveryAction.position)
    )
    if body_id is not None:
        query = query.where(DeliveryAction.body_id == body_id)
    if lead_user_id is not None:
        query = query.where(DeliveryAction.lead_user_id == lead_user_id)
    rows = {r[0]: ActionRow(*r) for r in session.execute(query)}  # type: ignore[call-arg]
    if when is None or not rows:
        return list(rows.values())
    updates = session.execute(
        select(
            DeliveryUpdate.action_id,
            DeliveryUpdate.period,
            DeliveryUpdate.period_end,
            DeliveryUpdate.overall_rag,
            DeliveryUpdate.risk_rag,
            DeliveryUpdate.trajectory_rag,
            DeliveryUpdate.internal_commentary,
            DeliveryUpdate.decision_needed,
            DeliveryUpdate.risks,
            DeliveryUpdate.version,
        )
        .where(DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period_end <= when.last_day)
        .order_by(DeliveryUpdate.period_end)
    )
    for action_id, *rest in updates:
        row = rows.get(action_id)
        if row is not None:
            row.previous, row.current = row.current, Rating(*rest)
    overdue = session.execute(
        select(
            DeliveryMilestone.action_id,
            DeliveryMilestone.ref,
            DeliveryMilestone.by_text,
            DeliveryMilestone.due_date,
        )
        .where(
            DeliveryMilestone.plan_id == plan_id,
            DeliveryMilestone.due_date < when.last_day,
            (DeliveryMilestone.done_date.is_(None)) | (DeliveryMilestone.done_date > when.last_day),
        )
        .order_by(DeliveryMilestone.due_date)
    )
    for action_id, ref, by_text, due in overdue:
        if (row := rows.get(action_id)) is not None:
            row.overdue.append({"ref": ref, "by": by_text, "due": due})
    return list(rows.values())


@dataclass
class Tracker:
    plan: Plan
    period: QuarterOrMonth | None
    periods: list[str]
    actions: list[ActionRow]
    themes: list[DeliveryTheme]
    rag_definitions: dict[str, dict[str, str]]
    framework: DeliveryFramework | None


def tracker(session: Session, actor: Actor, plan_id: int, period: str | None = None) -> Tracker:
    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period)
    themes = list(
        session.scalars(
            select(DeliveryTheme)
            .where(DeliveryTheme.plan_id == plan_id)
            .order_by(DeliveryTheme.position)
            .options(selectinload(DeliveryTheme.priorities))
        )
    )
    return Tracker(
        plan,
        when,
        periods_with_updates(session, plan_id),
        action_rows(session, plan_id, when),
        themes,
        rag_definitions(session, plan_id),
        framework(session, plan_id),
    )
