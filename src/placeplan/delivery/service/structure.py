"""A plan's delivery structure: its framework, themes, priorities and actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.fields import Window, plan_window
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.fields import ACTION, ACTION_FIELDS, Chosen
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryFramework,
    DeliveryPriority,
    DeliveryTheme,
)
from placeplan.delivery.service.access import delivery_plan, internal_plan, require_edit
from placeplan.governance.models import Body
from placeplan.people.models import User
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version


def framework(session: Session, plan_id: int) -> DeliveryFramework | None:
    return session.scalar(select(DeliveryFramework).where(DeliveryFramework.plan_id == plan_id))


def rag_definitions(session: Session, plan_id: int) -> dict[str, dict[str, str]]:
    found = framework(session, plan_id)
    merged = {k: dict(v) for k, v in rules.DEFAULT_RAG_DEFINITIONS.items()}
    for kind, values in ((found.rag_definitions if found else None) or {}).items():
        merged.setdefault(kind, {}).update(values)
    return merged


def set_framework(
    session: Session,
    actor: Actor,
    plan_id: int,
    rag_definitions: Mapping[str, Mapping[str, str]] | None = None,
    principles: list[dict[str, Any]] | None = None,
    plus_groups: list[dict[str, Any]] | None = None,
    source: str | None = None,
) -> DeliveryFramework:
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    for kind, given in (rag_definitions or {}).items():
        if kind not in rules.RAG_KINDS:
            raise InputError(f"'{kind}' is not a kind of RAG", field="rag_definitions")
        for rag in given:
            rules.check_rag(rag, "rag_definitions")
    found = framework(session, plan_id)
    values: dict[str, Any] = {
        "rag_definitions": {k: dict(v) for k, v in (rag_definitions or {}).items()},
        "principles": list(principles or []),
        "plus_groups": list(plus_groups or []),
        "source": source,
    }
    if found is None:
        return add_recorded(
            session, actor, "delivery_framework", DeliveryFramework(plan_id=plan_id, **values)
        )
    update_recorded(session, actor, "delivery_framework", found, values)
    return found


def add_theme(
    session: Session, actor: Actor, plan_id: int, ref: str, name: str, ambition: str | None = None
) -> DeliveryTheme:
    delivery_plan(session, actor, plan_id)
    if not name.strip():
        raise InputError("a theme needs a name", field="name")
    position = len(
        session.scalars(select(DeliveryTheme.id).where(DeliveryTheme.plan_id == plan_id)).all()
    )
    return add_recorded(
        session,
        actor,
        "delivery_theme",
        DeliveryTheme(
            plan_id=plan_id, ref=ref, name=name.strip(), ambition=ambition, position=position
        ),
    )


def add_priority(
    session: Session,
    actor: Actor,
    theme_id: int,
    ref: str,
    statement: str,
    outcome_statement: str | None = None,
    do_priority: bool = False,
) -> DeliveryPriority:
    theme = session.get(DeliveryTheme, theme_id)
    if theme is None:
        raise NotFound(f"no theme {theme_id}")
    delivery_plan(session, actor, theme.plan_id)
    if not statement.strip():
        raise InputError("a priority needs its 'We will' statement", field="statement")
    return add_recorded(
        session,
        actor,
        "delivery_priority",
        DeliveryPriority(
            plan_id=theme.plan_id,
            theme_id=theme.id,
            ref=ref,
            statement=statement.strip(),
            outcome_statement=outcome_statement,
            do_priority=do_priority,
            position=len(theme.priorities),
        ),
    )


def chosen_for(session: Session, plan_id: int, action: DeliveryAction | None = None) -> Chosen:
    """What an action of the plan (`action`, when it exists) chooses its principles and groups
    from."""
    found = framework(session, plan_id)
    held = (
        {k: list(getattr(action, k) or []) for k in ("principles", "plus_groups")} if action else {}
    )
    return Chosen(
        principles=tuple(str(p.get("ref")) for p in (found.principles if found else [])),
        groups=tuple(str(g.get("name")) for g in (found.plus_groups if found else [])),
        held=held,
    )


def action_values(
    session: Session,
    values: Mapping[str, Any],
    window: Window | None = None,
    chosen: Chosen | None = None,
) -> dict[str, Any]:
    """Checked values for an action's fields, from a document or an API body; its dates fall
    within the plan's period (`window`) and its principles and groups are the plan's (`chosen`)
    where they are given."""
    out: dict[str, Any] = {}
    for name in ACTION_FIELDS:
        if name in values:
            out[name] = values[name]
    if "we_will" in out and not str(out["we_will"] or "").strip():
        raise InputError("an action needs its 'We will' statement", field="we_will")
    ACTION.check(out)
    if "stage" in out:
        out["stage"] = rules.check_stage(str(out["stage"] or "not_started"))
    for name in ("start_date", "due_date"):
        if isinstance(out.get(name), str):
            try:
                out[name] = date.fromisoformat(out[name])
            except ValueError as exc:
                raise InputError(
                    f"'{out[name]}' is not a date: expected e.g. 2025-03-31", field=name
                ) from exc
    for name, what in (("start_date", "start date"), ("due_date", "due date")):
        if window is not None and (message := window.day_problem(out.get(name), what)):
            raise InputError(message, field=name)
    if out.get("start_date") and out.get("due_date") and out["due_date"] < out["start_date"]:
        raise InputError("an action cannot be due before it starts", field="due_date")
    if (
        "body_id" in out
        and out["body_id"] is not None
        and session.get(Body, out["body_id"]) is None
    ):
        raise InputError(f"no governance body {out['body_id']}", field="body_id")
    if (
        "lead_user_id" in out
        and out["lead_user_id"] is not None
        and session.get(User, out["lead_user_id"]) is None
    ):
        raise InputError(f"no user {out['lead_user_id']}", field="lead_user_id")
    for name in ("lead_contacts", "lead_organisations", "principles", "plus_groups"):
        if name in out:
            out[name] = [str(v) for v in out[name] or []]
    if chosen is not None:
        chosen.check(out)
    return out


def add_action(
    session: Session, actor: Actor, priority_id: int, ref: str, values: Mapping[str, Any]
) -> DeliveryAction:
    priority = session.get(DeliveryPriority, priority_id)
    if priority is None:
        raise NotFound(f"no priority {priority_id}")
    plan = delivery_plan(session, actor, priority.plan_id)
    ref = new_action_ref(session, priority.plan_id, ref)
    window = plan_window(plan.period_start, plan.period_end)
    chosen = chosen_for(session, plan.id)
    checked = action_values(session, {"stage": "not_started", **values}, window, chosen)
    if "we_will" not in checked:
        raise InputError("an action needs its 'We will' statement", field="we_will")
    return add_recorded(
        session,
        actor,
        "delivery_action",
        DeliveryAction(
            plan_id=priority.plan_id,
            priority_id=priority.id,
            ref=ref,
            position=len(priority.actions),
            illustrative=bool(values.get("illustrative", False)),
            **checked,
        ),
    )


def get_action(session: Session, actor: Actor, action_id: int) -> DeliveryAction:
    action = session.get(DeliveryAction, action_id)
    if action is None:
        raise NotFound(f"no action {action_id}")
    internal_plan(session, actor, action.plan_id)
    return action


def update_action(
    session: Session,
    actor: Actor,
    action_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> DeliveryAction:
    action = get_action(session, actor, action_id)
    plan = get_plan(session, actor, action.plan_id)
    require_edit(actor, plan)
    check_version(session, action, "delivery_action", expected_version, ACTION_FIELDS)
    window = plan_window(plan.period_start, plan.period_end)
    checked = action_values(session, changes, window, chosen_for(session, plan.id, action))
    update_recorded(session, actor, "delivery_action", action, checked)
    return action


def new_action_ref(session: Session, plan_id: int, ref: str) -> str:
    text = (ref or "").strip()
    if not text:
        raise InputError("an action needs a reference, such as HP2.5", field="ref")
    ACTION["ref"].check(text)
    taken = session.scalar(
        select(DeliveryAction.id).where(
            DeliveryAction.plan_id == plan_id, DeliveryAction.ref == text
        )
    )
    if taken is not None:
        raise InputError(f"the plan already has an action {text}: choose another ref", field="ref")
    return text


def user_id_for(session: Session, username: str | None, field: str = "lead_user_id") -> int | None:
    """The id of the user of that username (blank: none); an unknown one is refused."""
    text = (username or "").strip()
    if not text:
        return None
    found = session.scalar(select(User.id).where(User.username == text))
    if found is None:
        raise InputError(f"no user has the username {text!r}", field=field)
    return found


def bodies_for(session: Session, plan: Plan, also: int | None = None) -> list[Body]:
    """The governance bodies an action of this plan may report to: those of its area or system
    (and the one it reports to now, wherever that is)."""
    system_id = plan.system_id or (plan.area.system_id if plan.area else None)
    wanted = []
    if plan.area_id is not None:
        wanted.append(Body.area_id == plan.area_id)
    if system_id is not None:
        wanted.append(Body.system_id == system_id)
    if also is not None:
        wanted.append(Body.id == also)
    if not wanted:
        return []

    return list(session.scalars(select(Body).where(or_(*wanted)).order_by(Body.name)))
