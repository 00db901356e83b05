"""Loading a whole tracker document (the demo's YAML, the benchmark's plans) into a plan."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_quarter_or_month
from placeplan.delivery.domain import rules
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryMilestone,
    DeliveryPriority,
    DeliveryTheme,
    DeliveryUpdate,
)
from placeplan.delivery.service.access import delivery_plan
from placeplan.delivery.service.structure import action_values, set_framework
from placeplan.governance.models import Body
from placeplan.people.models import User
from placeplan.store.base import utcnow
from placeplan.store.changes import add_many_recorded


def _date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"'{value}' is not a date: expected e.g. 2024-03-31", field=where) from exc


_Items = list[Mapping[str, Any]]


def load_document(
    session: Session, actor: Actor, plan_id: int, document: Mapping[str, Any]
) -> dict[str, int]:
    """Load a whole tracker (framework, themes, priorities, actions, milestones, updates) into a
    delivery plan that has none yet. Everything is checked before anything is written."""
    plan = delivery_plan(session, actor, plan_id)
    if session.scalar(select(DeliveryTheme.id).where(DeliveryTheme.plan_id == plan.id).limit(1)):
        raise InputError(f"plan {plan_id} already has a delivery tracker", field="plan")
    bodies = {b.key: b.id for b in session.scalars(select(Body))}
    users = {u.username: u.id for u in session.scalars(select(User))}
    set_framework(
        session,
        actor,
        plan.id,
        document.get("rag_definitions"),
        document.get("principles"),
        document.get("plus_groups"),
        document.get("source"),
    )
    # Each level is written before the next is built, since a row needs its parent's id.
    themes = _add_themes(session, actor, plan.id, document.get("themes") or [])
    priorities = _add_priorities(session, actor, plan.id, themes)
    actions = _add_actions(session, actor, plan.id, priorities, bodies, users)
    milestone_rows = _add_milestones(session, actor, plan.id, actions)
    by_ref = {a.ref: a for a, _ in actions}
    update_rows = _add_updates(session, actor, plan.id, document.get("updates") or [], by_ref)
    return {
        "themes": len(themes),
        "priorities": len(priorities),
        "actions": len(actions),
        "milestones": len(milestone_rows),
        "updates": len(update_rows),
    }


def _add_themes(
    session: Session, actor: Actor, plan_id: int, items: _Items
) -> list[tuple[DeliveryTheme, _Items]]:
    """The themes, written, each with its priorities still to add."""
    pending: list[tuple[DeliveryTheme, _Items]] = []
    for t_pos, t in enumerate(items):
        theme = DeliveryTheme(
            plan_id=plan_id,
            ref=str(t["ref"]),
            name=str(t["name"]),
            ambition=t.get("ambition"),
            position=t_pos,
        )
        pending.append((theme, t.get("priorities") or []))
    add_many_recorded(session, actor, "delivery_theme", [theme for theme, _ in pending])
    return pending


def _add_priorities(
    session: Session, actor: Actor, plan_id: int, themes: list[tuple[DeliveryTheme, _Items]]
) -> list[tuple[DeliveryPriority, _Items]]:
    """The themes' priorities, written, each with its actions still to add."""
    pending: list[tuple[DeliveryPriority, _Items]] = []
    for theme, items in themes:
        for p_pos, p in enumerate(items):
            priority = DeliveryPriority(
                plan_id=plan_id,
                theme_id=theme.id,
                ref=str(p["ref"]),
                statement=str(p["statement"]),
                outcome_statement=p.get("outcome_statement"),
                do_priority=bool(p.get("do_priority", False)),
                position=p_pos,
            )
            pending.append((priority, p.get("actions") or []))
    add_many_recorded(session, actor, "delivery_priority", [p for p, _ in pending])
    return pending


def _add_actions(
    session: Session,
    actor: Actor,
    plan_id: int,
    priorities: list[tuple[DeliveryPriority, _Items]],
    bodies: dict[str, int],
    users: dict[str, int],
) -> list[tuple[DeliveryAction, _Items]]:
    """The priorities' actions, checked and written, each with its milestones still to add;
    `bodies` and `users` map the document's body keys and usernames to their ids."""
    pending: list[tuple[DeliveryAction, _Items]] = []
    for priority, items in priorities:
        for a_pos, a in enumerate(items):
            values = dict(a)
            ref = str(values.pop("ref"))
            if body := values.pop("body", None):
                if body not in bodies:
                    raise InputError(f"action {ref}: no governance body {body}", field="body")
                values["body_id"] = bodies[body]
            if lead := values.pop("lead_user", None):
                if lead not in users:
                    raise InputError(f"action {ref}: no user {lead}", field="lead_user")
                values["lead_user_id"] = users[lead]
            milestones = values.pop("milestones", None) or []
            checked = action_values(session, {"stage": "not_started", **values})
            action = DeliveryAction(
                plan_id=plan_id,
                priority_id=priority.id,
                ref=ref,
                position=a_pos,
                illustrative=bool(values.get("illustrative", False)),
                **checked,
            )
            pending.append((action, milestones))
    add_many_recorded(session, actor, "delivery_action", [a for a, _ in pending])
    return pending


def _add_milestones(
    session: Session, actor: Actor, plan_id: int, actions: list[tuple[DeliveryAction, _Items]]
) -> list[DeliveryMilestone]:
    rows = [
        DeliveryMilestone(
            plan_id=plan_id,
            action_id=action.id,
            ref=str(m.get("ref", pos + 1)),
            by_text=str(m["by"]),
            due_date=_date(m.get("due"), "due"),
            done_date=_date(m.get("done"), "done"),
            position=pos,
        )
        for action, items in actions
        for pos, m in enumerate(items)
    ]
    add_many_recorded(session, actor, "delivery_milestone", rows)
    return rows


def _add_updates(
    session: Session,
    actor: Actor,
    plan_id: int,
    blocks: _Items,
    by_ref: dict[str, DeliveryAction],
) -> list[DeliveryUpdate]:
    """The document's updates (a block of actions' ratings per period), checked and written."""
    rows: list[DeliveryUpdate] = []
    for block in blocks:
        when = parse_quarter_or_month(str(block["period"]))
        for ref, u in (block.get("actions") or {}).items():
            if str(ref) not in by_ref:
                raise InputError(f"update for {when.label}: no action {ref}", field="actions")
            rows.append(
                DeliveryUpdate(
                    plan_id=plan_id,
                    action_id=by_ref[str(ref)].id,
                    period=when.label,
                    period_end=when.last_day,
                    overall_rag=rules.check_rag(u.get("overall"), "overall", required=True),
                    risk_rag=rules.check_rag(u.get("risk"), "risk"),
                    trajectory_rag=rules.check_rag(u.get("trajectory"), "trajectory"),
                    internal_commentary=u.get("internal"),
                    public_commentary=u.get("public"),
                    risks=u.get("risks"),
                    decision_needed=u.get("decision"),
                    evidence=u.get("evidence"),
                    illustrative=bool(block.get("illustrative", False)),
                    updated_by=actor.name,
                    updated_at=utcnow(),
                )
            )
    add_many_recorded(session, actor, "delivery_update", rows)
    return rows
