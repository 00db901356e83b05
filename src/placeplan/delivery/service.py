"""Operations on a plan's delivery tracker. Every write is audited in the caller's transaction.

Reads come in two kinds: the tracker and its reports carry internal fields (RAG detail,
internal commentary, risks, decisions, lead contacts) and need a sign-in; `public_view` carries
only what the public microsite shows and only for a published plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError, NotFound
from placeplan.core.permissions import can_edit_plan, can_read_unpublished, require
from placeplan.delivery import rules
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryFramework,
    DeliveryMilestone,
    DeliveryPriority,
    DeliveryRevision,
    DeliveryTheme,
    DeliveryUpdate,
)
from placeplan.governance.models import Body
from placeplan.people.models import User
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_many_recorded, add_recorded, update_recorded
from placeplan.store.uow import check_version

DEMO_PLAN_KEY = "leicester-hwb-sdp-2023-25"
DEMO_FILE = (
    Path(__file__).resolve().parents[1] / "demo" / "data" / "delivery_leicester_2023_25.yaml"
)
DELIVERY_KINDS = frozenset({"strategy_delivery_plan", "five_year_plan"})
ACTION_EDITABLE = [
    "we_will",
    "i_will",
    "stage",
    "improvement",
    "equity",
    "equity_assured",
    "resources",
    "resources_source",
    "engagement",
    "body_id",
    "governance_note",
    "start_date",
    "due_date",
    "lead_contacts",
    "lead_organisations",
    "lead_user_id",
    "principles",
    "plus_groups",
]
UPDATE_FIELDS = [
    "overall_rag",
    "risk_rag",
    "trajectory_rag",
    "internal_commentary",
    "public_commentary",
    "risks",
    "decision_needed",
    "evidence",
]


# ---- permissions ------------------------------------------------------------------------------


def internal_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan, for someone who may see its tracker's internal fields (anyone signed in)."""
    plan = get_plan(session, actor, plan_id)
    require(can_read_unpublished(actor), "see a delivery tracker's internal fields: sign in")
    return plan


def can_edit(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def _require_edit(actor: Actor, plan: Plan) -> None:
    where = plan.area.name if plan.area else plan.system.name if plan.system else "this plan"
    require(can_edit(actor, plan), f"edit the delivery plans of {where}")


def _may_update(actor: Actor, plan: Plan, lead_user_id: int | None) -> bool:
    return can_edit(actor, plan) or (
        actor.principal is not None and lead_user_id == actor.principal.user_id
    )


# ---- structure --------------------------------------------------------------------------------


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
    _require_edit(actor, plan)
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


def _delivery_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    if plan.kind not in DELIVERY_KINDS:
        raise InputError(f"plan {plan_id} is a {plan.kind}, not a delivery plan", field="plan")
    return plan


def add_theme(
    session: Session, actor: Actor, plan_id: int, ref: str, name: str, ambition: str | None = None
) -> DeliveryTheme:
    _delivery_plan(session, actor, plan_id)
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
    _delivery_plan(session, actor, theme.plan_id)
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


def _action_values(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """Checked values for an action's fields, from a document or an API body."""
    out: dict[str, Any] = {}
    for name in ACTION_EDITABLE:
        if name in values:
            out[name] = values[name]
    if "we_will" in out and not str(out["we_will"] or "").strip():
        raise InputError("an action needs its 'We will' statement", field="we_will")
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
    return out


def add_action(
    session: Session, actor: Actor, priority_id: int, ref: str, values: Mapping[str, Any]
) -> DeliveryAction:
    priority = session.get(DeliveryPriority, priority_id)
    if priority is None:
        raise NotFound(f"no priority {priority_id}")
    _delivery_plan(session, actor, priority.plan_id)
    ref = _new_action_ref(session, priority.plan_id, ref)
    checked = _action_values(session, {"stage": "not_started", **values})
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
    _require_edit(actor, plan)
    check_version(session, action, "delivery_action", expected_version, ACTION_EDITABLE)
    update_recorded(session, actor, "delivery_action", action, _action_values(session, changes))
    return action


def add_milestone(
    session: Session,
    actor: Actor,
    action_id: int,
    ref: str,
    by_text: str,
    due_date: date | None = None,
    done_date: date | None = None,
) -> DeliveryMilestone:
    action = get_action(session, actor, action_id)
    _delivery_plan(session, actor, action.plan_id)
    if not by_text.strip():
        raise InputError("a milestone needs its 'By ...' text", field="by_text")
    ref = _new_milestone_ref(action, ref)
    _check_milestone_dates(due_date, done_date)
    return add_recorded(
        session,
        actor,
        "delivery_milestone",
        DeliveryMilestone(
            plan_id=action.plan_id,
            action_id=action.id,
            ref=ref,
            by_text=by_text.strip(),
            due_date=due_date,
            done_date=done_date,
            position=len(action.milestones),
        ),
    )


def mark_milestone(
    session: Session,
    actor: Actor,
    milestone_id: int,
    expected_version: int | None,
    done_date: date | None,
) -> DeliveryMilestone:
    milestone = session.get(DeliveryMilestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}")
    plan = get_plan(session, actor, milestone.plan_id)
    require(_may_update(actor, plan, milestone.action.lead_user_id), "update this action")
    check_version(session, milestone, "delivery_milestone", expected_version, ["done_date"])
    if done_date is not None and done_date > date.today():
        raise InputError("a milestone cannot be done in the future", field="done_date")
    update_recorded(session, actor, "delivery_milestone", milestone, {"done_date": done_date})
    return milestone


MILESTONE_EDITABLE = ["ref", "by_text", "due_date", "done_date"]


def _new_action_ref(session: Session, plan_id: int, ref: str) -> str:
    text = (ref or "").strip()
    if not text:
        raise InputError("an action needs a reference, such as HP2.5", field="ref")
    if len(text) > 40:
        raise InputError("an action's reference is at most 40 characters", field="ref")
    taken = session.scalar(
        select(DeliveryAction.id).where(
            DeliveryAction.plan_id == plan_id, DeliveryAction.ref == text
        )
    )
    if taken is not None:
        raise InputError(f"the plan already has an action {text}: choose another ref", field="ref")
    return text


def _new_milestone_ref(action: DeliveryAction, ref: str | None) -> str:
    taken = {m.ref for m in action.milestones}
    text = (ref or "").strip()
    if not text:
        # The next free number, as the seed numbers each action's activities 1, 2, 3 ...
        numbers = [int(r) for r in taken if r.isdigit()]
        return str(max(numbers, default=0) + 1)
    if len(text) > 40:
        raise InputError("a milestone's reference is at most 40 characters", field="ref")
    if text in taken:
        raise InputError(
            f"action {action.ref} already has a milestone {text}: choose another ref", field="ref"
        )
    return text


def _check_milestone_dates(due_date: date | None, done_date: date | None) -> None:
    if done_date is not None and done_date > date.today():
        raise InputError("a milestone cannot be done in the future", field="done_date")


def get_milestone(session: Session, actor: Actor, milestone_id: int) -> DeliveryMilestone:
    milestone = session.get(DeliveryMilestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}")
    internal_plan(session, actor, milestone.plan_id)
    return milestone


def update_milestone(
    session: Session,
    actor: Actor,
    milestone_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
) -> DeliveryMilestone:
    """Change a milestone's ref, "By ..." text, due or done date. Marking it done (or not) is open
    to the action's lead as well as the plan's editors; the rest only to editors."""
    milestone = get_milestone(session, actor, milestone_id)
    plan = get_plan(session, actor, milestone.plan_id)
    values = {k: v for k, v in changes.items() if k in MILESTONE_EDITABLE}
    moved = {k for k, v in values.items() if getattr(milestone, k) != v}
    if moved <= {"done_date"}:
        require(_may_update(actor, plan, milestone.action.lead_user_id), "update this action")
    else:
        _require_edit(actor, plan)
    check_version(session, milestone, "delivery_milestone", expected_version, MILESTONE_EDITABLE)
    if "by_text" in values:
        values["by_text"] = str(values["by_text"] or "").strip()
        if not values["by_text"]:
            raise InputError("a milestone needs its 'By ...' text", field="by_text")
    if "ref" in values and values["ref"] != milestone.ref:
        values["ref"] = _new_milestone_ref(milestone.action, values["ref"])
    _check_milestone_dates(
        values.get("due_date", milestone.due_date), values.get("done_date", milestone.done_date)
    )
    update_recorded(session, actor, "delivery_milestone", milestone, values)
    return milestone


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
    from sqlalchemy import or_

    return list(session.scalars(select(Body).where(or_(*wanted)).order_by(Body.name)))


# ---- updates by reporting period --------------------------------------------------------------


@dataclass
class UpdateIn:
    """One action's report for a period, as typed. `version` is that of the stored update the
    person started from, 0 when there was none."""

    action_id: int
    version: int | None
    overall_rag: str | None
    risk_rag: str | None = None
    trajectory_rag: str | None = None
    internal_commentary: str | None = None
    public_commentary: str | None = None
    risks: str | None = None
    decision_needed: str | None = None
    evidence: str | None = None


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def record_updates(
    session: Session, actor: Actor, plan_id: int, period: str, updates: list[UpdateIn]
) -> list[DeliveryUpdate]:
    """All of a lead's updates for one period at once: every one is checked first; one bad or
    stale update refuses the lot. An update with no overall RAG and no text is skipped."""
    plan = get_plan(session, actor, plan_id)
    when = rules.parse_reporting_period(period)
    ids = [u.action_id for u in updates]
    actions = {
        a.id: a
        for a in session.scalars(
            select(DeliveryAction).where(
                DeliveryAction.id.in_(ids), DeliveryAction.plan_id == plan_id
            )
        )
    }
    existing = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.action_id.in_(ids), DeliveryUpdate.period == when.label
            )
        )
    }
    planned: list[tuple[UpdateIn, dict[str, Any]]] = []
    for given in updates:
        action = actions.get(given.action_id)
        if action is None:
            raise NotFound(f"no action {given.action_id} in plan {plan_id}")
        require(_may_update(actor, plan, action.lead_user_id), f"update action {action.ref}")
        values = {
            "overall_rag": rules.check_rag(given.overall_rag, f"overall-{action.id}"),
            "risk_rag": rules.check_rag(given.risk_rag, f"risk-{action.id}"),
            "trajectory_rag": rules.check_rag(given.trajectory_rag, f"trajectory-{action.id}"),
            **{
                name: _text(getattr(given, name))
                for name in UPDATE_FIELDS
                if name not in ("overall_rag", "risk_rag", "trajectory_rag")
            },
        }
        stored = existing.get(action.id)
        if values["overall_rag"] is None:
            if any(values.values()) or stored is not None:
                raise InputError(
                    f"give action {action.ref} an overall RAG rating for {when.label}",
                    field=f"overall-{action.id}",
                )
            continue
        if stored is None and given.version not in (None, 0):
            raise Conflict(
                f"the update of action {action.ref} for {when.label} was removed since you opened it",
                current_version=0,
            )
        if stored is not None:
            if given.version == 0:
                raise Conflict(
                    f"someone else reported on action {action.ref} for {when.label} since you"
                    " opened the form",
                    current_version=stored.version,
                    changes={
                        f"{action.ref} {name}": (None, getattr(stored, name))
                        for name in UPDATE_FIELDS
                        if getattr(stored, name) is not None
                    },
                )
            check_version(session, stored, "delivery_update", given.version, UPDATE_FIELDS)
        planned.append((given, values))
    saved = []
    for given, values in planned:
        stored = existing.get(given.action_id)
        if stored is None:
            saved.append(
                add_recorded(
                    session,
                    actor,
                    "delivery_update",
                    DeliveryUpdate(
                        plan_id=plan_id,
                        action_id=given.action_id,
                        period=when.label,
                        period_end=when.last_day,
                        updated_by=actor.name,
                        updated_at=utcnow(),
                        **values,
                    ),
                )
            )
        else:
            update_recorded(
                session,
                actor,
                "delivery_update",
                stored,
                {**values, "updated_by": actor.name, "updated_at": utcnow()}
                if any(getattr(stored, k) != v for k, v in values.items())
                else {},
            )
            saved.append(stored)
    return saved


# ---- reading: the tracker and its reports -------------------------------------------------------


@dataclass
class Rating:
    period: str
    period_end: date
    overall: str
    risk: str | None
    trajectory: str | None
    internal_commentary: str | None
    decision_needed: str | None
    risks: str | None
    version: int
    public_commentary: str | None = None
    evidence: str | None = None


@dataclass
class ActionRow:
    id: int
    ref: str
    we_will: str
    stage: str
    theme: str
    priority_ref: str
    priority: str
    body_id: int | None
    body: str | None
    lead_contacts: list[str]
    lead_user_id: int | None
    due_date: date | None
    version: int
    current: Rating | None = None
    previous: Rating | None = None
    overdue: list[dict[str, Any]] = field(default_factory=list)

    @property
    def change(self) -> str:
        if self.current is None:
            return "not_rated"
        return rules.change(self.previous.overall if self.previous else None, self.current.overall)


def periods_with_updates(session: Session, plan_id: int) -> list[str]:
    rows = session.execute(
        select(DeliveryUpdate.period, DeliveryUpdate.period_end)
        .where(DeliveryUpdate.plan_id == plan_id)
        .distinct()
    ).all()
    return [p for p, _ in sorted(rows, key=lambda r: (r[1], r[0]))]


def choose_period(
    session: Session, plan_id: int, period: str | None
) -> rules.ReportingPeriod | None:
    """The period asked for, or the latest with any update; None when nothing was reported yet."""
    if period:
        return rules.parse_reporting_period(period)
    known = periods_with_updates(session, plan_id)
    return rules.parse_reporting_period(known[-1]) if known else None


def _body_id(session: Session, body: int | str | None) -> int | None:
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
    when: rules.ReportingPeriod | None,
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
    period: rules.ReportingPeriod | None
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


def _item(row: ActionRow) -> dict[str, Any]:
    current, previous = row.current, row.previous
    return {
        "action_id": row.id,
        "ref": row.ref,
        "we_will": row.we_will,
        "theme": row.theme,
        "priority": row.priority,
        "stage": row.stage,
        "body": row.body,
        "lead_contacts": row.lead_contacts,
        "overall_rag": current.overall if current else None,
        "risk_rag": current.risk if current else None,
        "trajectory_rag": current.trajectory if current else None,
        "rated_in": current.period if current else None,
        "previous_rag": previous.overall if previous else None,
        "previous_period": previous.period if previous else None,
        "change": row.change,
        "commentary": current.internal_commentary if current else None,
        "risks": current.risks if current else None,
    }


def highlight(
    session: Session,
    actor: Actor,
    plan_id: int,
    period: str | None = None,
    body: int | str | None = None,
) -> dict[str, Any]:
    """What a board reviews for a period: reds and ambers, what changed since last period, what is
    overdue and the decisions asked of it. The period defaults to the latest with updates."""
    import time

    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period)
    body_id = _body_id(session, body)
    token = session.scalar(
        select(DeliveryRevision.token).where(DeliveryRevision.plan_id == plan_id)
    )
    key = (
        str(session.get_bind().engine.url),
        plan_id,
        when.label if when else None,
        body_id,
        token,
    )
    now = time.monotonic()
    if (
        token is not None
        and (hit := _highlights.get(key)) is not None
        and now - hit[0] < REPORT_TTL
    ):
        return {**hit[1], "plan": {"id": plan.id, "title": plan.title, "status": plan.status}}
    report = _highlight(
        plan,
        when,
        action_rows(session, plan_id, when, body_id=body_id),
        body_id,
        rag_definitions(session, plan_id),
    )
    if token is not None:
        if len(_highlights) > 256:
            _highlights.clear()
        _highlights[key] = (now, report)
    return report


# Highlight reports, reused until the plan's delivery revision token changes (any write to its
# tracker, in any process, replaces it); the TTL bounds what the token does not cover, such as a
# governance body's new name, and the calendar (overdue is judged at the period's end).
REPORT_TTL = 60.0
_highlights: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}


def _highlight(
    plan: Plan,
    when: rules.ReportingPeriod | None,
    rows: list[ActionRow],
    body_id: int | None,
    definitions: dict[str, dict[str, str]],
) -> dict[str, Any]:
    counts = {rag: 0 for rag in (*rules.RAGS, "not_rated")}
    for row in rows:
        counts[row.current.overall if row.current else "not_rated"] += 1
    label = when.label if when else None

    def rated(rag: str) -> list[dict[str, Any]]:
        return [_item(r) for r in rows if r.current and r.current.overall == rag]

    return {
        "plan": {"id": plan.id, "title": plan.title, "status": plan.status},
        "period": label,
        "period_end": when.last_day.isoformat() if when else None,
        "body": body_id,
        "counts": counts,
        "reds": rated("red"),
        "ambers": rated("amber"),
        "changes": [
            _item(r)
            for r in rows
            if r.current
            and r.current.period == label
            and r.change in ("improved", "worsened", "new")
        ],
        "not_updated": [
            {
                "action_id": r.id,
                "ref": r.ref,
                "last_rated_in": r.current.period if r.current else None,
            }
            for r in rows
            if not r.current or r.current.period != label
        ],
        "overdue": [
            {
                "action_id": r.id,
                "action_ref": r.ref,
                "ref": m["ref"],
                "by": m["by"],
                "due": m["due"].isoformat(),
            }
            for r in rows
            for m in r.overdue
        ],
        "decisions": [
            {"action_id": r.id, "ref": r.ref, "decision": r.current.decision_needed}
            for r in rows
            if r.current and r.current.period == label and r.current.decision_needed
        ],
        "rag_definitions": definitions,
    }


def update_form_rows(
    session: Session, actor: Actor, plan_id: int, period: str | None, mine_only: bool = False
) -> tuple[Plan, rules.ReportingPeriod, list[tuple[ActionRow, DeliveryUpdate | None]]]:
    """The actions this person may report on for the period, with what is stored for it."""
    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period) or rules.parse_reporting_period(
        _current_quarter()
    )
    user_id = actor.principal.user_id if actor.principal else None
    editor = can_edit(actor, plan)
    lead = None if (editor and not mine_only) else user_id
    if lead is None and not editor:
        require(False, "report on this plan's actions")
    rows = action_rows(session, plan_id, when, lead_user_id=lead)
    if not rows and not editor:
        require(False, "report on this plan's actions: you lead none of them")
    stored = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period == when.label
            )
        )
    }
    return plan, when, [(r, stored.get(r.id)) for r in rows]


def _current_quarter(today: date | None = None) -> str:
    today = today or date.today()
    start = today.year if today.month >= 4 else today.year - 1
    quarter = ((today.month - 4) % 12) // 3 + 1
    return f"{start}-{(start + 1) % 100:02d} Q{quarter}"


# ---- the public view --------------------------------------------------------------------------


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


# ---- documents: the demo's YAML, the benchmark's plans ------------------------------------------


def _date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"'{value}' is not a date: expected e.g. 2024-03-31", field=where) from exc


def load_document(
    session: Session, actor: Actor, plan_id: int, document: Mapping[str, Any]
) -> dict[str, int]:
    """Load a whole tracker (framework, themes, priorities, actions, milestones, updates) into a
    delivery plan that has none yet. Everything is checked before anything is written."""
    plan = _delivery_plan(session, actor, plan_id)
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
    themes: list[DeliveryTheme] = []
    pending_priorities: list[tuple[DeliveryTheme, list[Mapping[str, Any]]]] = []
    for t_pos, t in enumerate(document.get("themes") or []):
        theme = DeliveryTheme(
            plan_id=plan.id,
            ref=str(t["ref"]),
            name=str(t["name"]),
            ambition=t.get("ambition"),
            position=t_pos,
        )
        themes.append(theme)
        pending_priorities.append((theme, t.get("priorities") or []))
    add_many_recorded(session, actor, "delivery_theme", themes)
    priorities: list[DeliveryPriority] = []
    pending_actions: list[tuple[DeliveryPriority, list[Mapping[str, Any]]]] = []
    for theme, items in pending_priorities:
        for p_pos, p in enumerate(items):
            priority = DeliveryPriority(
                plan_id=plan.id,
                theme_id=theme.id,
                ref=str(p["ref"]),
                statement=str(p["statement"]),
                outcome_statement=p.get("outcome_statement"),
                do_priority=bool(p.get("do_priority", False)),
                position=p_pos,
            )
            priorities.append(priority)
            pending_actions.append((priority, p.get("actions") or []))
    add_many_recorded(session, actor, "delivery_priority", priorities)
    actions: list[DeliveryAction] = []
    pending_milestones: list[tuple[DeliveryAction, list[Mapping[str, Any]]]] = []
    for priority, items in pending_actions:
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
            checked = _action_values(session, {"stage": "not_started", **values})
            action = DeliveryAction(
                plan_id=plan.id,
                priority_id=priority.id,
                ref=ref,
                position=a_pos,
                illustrative=bool(values.get("illustrative", False)),
                **checked,
            )
            actions.append(action)
            pending_milestones.append((action, milestones))
    add_many_recorded(session, actor, "delivery_action", actions)
    by_ref = {a.ref: a for a in actions}
    milestone_rows = [
        DeliveryMilestone(
            plan_id=plan.id,
            action_id=action.id,
            ref=str(m.get("ref", pos + 1)),
            by_text=str(m["by"]),
            due_date=_date(m.get("due"), "due"),
            done_date=_date(m.get("done"), "done"),
            position=pos,
        )
        for action, items in pending_milestones
        for pos, m in enumerate(items)
    ]
    add_many_recorded(session, actor, "delivery_milestone", milestone_rows)
    update_rows: list[DeliveryUpdate] = []
    for block in document.get("updates") or []:
        when = rules.parse_reporting_period(str(block["period"]))
        for ref, u in (block.get("actions") or {}).items():
            if str(ref) not in by_ref:
                raise InputError(f"update for {when.label}: no action {ref}", field="actions")
            update_rows.append(
                DeliveryUpdate(
                    plan_id=plan.id,
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
    add_many_recorded(session, actor, "delivery_update", update_rows)
    return {
        "themes": len(themes),
        "priorities": len(priorities),
        "actions": len(actions),
        "milestones": len(milestone_rows),
        "updates": len(update_rows),
    }


def load_demo_delivery(session: Session, actor: Actor) -> dict[str, int]:
    """Attach Leicester's HWB delivery plan 2023-25 (seed 004) to the demo plan of that key."""
    import yaml

    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        raise NotFound(f"no plan {DEMO_PLAN_KEY}: load the demo's plans first")
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return load_document(session, actor, plan_id, document)


# ---- the tracker workbook: what it shows, and applying what changed in it -----------------------


@dataclass
class TrackerExport:
    """Everything the tracker workbook shows for one reporting period."""

    plan: Plan
    period: rules.ReportingPeriod
    rag_definitions: dict[str, dict[str, str]]
    framework: DeliveryFramework | None
    actions: list[DeliveryAction]
    updates: dict[int, DeliveryUpdate]  # action id -> its update for exactly this period
    last_rag: dict[int, Rating]  # action id -> its latest rating before this period
    usernames: dict[int, str]


def tracker_export(
    session: Session, actor: Actor, plan_id: int, period: str | None = None
) -> TrackerExport:
    """The tracker for a period: the latest period with updates by default, or the current
    quarter when nothing has been reported yet."""
    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period) or rules.parse_reporting_period(
        _current_quarter()
    )
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
    return TrackerExport(
        plan,
        when,
        rag_definitions(session, plan_id),
        framework(session, plan_id),
        actions,
        updates,
        last,
        {int(k): str(v) for k, v in usernames.items()},
    )


# The action fields a tracker row carries (besides body and lead user, which it names by text).
TRACKER_ACTION_FIELDS = [
    "we_will",
    "i_will",
    "stage",
    "improvement",
    "lead_contacts",
    "lead_organisations",
    "lead_user_id",
    "body_id",
    "governance_note",
    "start_date",
    "due_date",
    "equity",
    "equity_assured",
    "resources",
    "resources_source",
    "engagement",
    "principles",
    "plus_groups",
]


@dataclass
class TrackerActionIn:
    """One row of the tracker as read: `values` holds only the fields whose columns were there,
    with `body` and `lead_user` as typed (a body's name or key, a username). `version` is the action's
    version when exported (None for a new row); `update_version` that of the period's update
    (0 when there was none)."""

    sheet: str
    row: int
    ref: str
    priority_ref: str | None
    version: int | None
    values: dict[str, Any]
    update: dict[str, Any] | None = None
    update_version: int | None = None


@dataclass
class TrackerMilestoneIn:
    sheet: str
    row: int
    action_ref: str
    ref: str | None
    version: int | None
    values: dict[str, Any]  # by_text, due_date, done_date (those whose columns were there)


def _same(value: Any) -> Any:
    """A value as compared: blank text is no value, text compares without its outer spaces,
    dates as the audit log writes them, lists without blank items."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _moved(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[str]:
    return [k for k, v in wanted.items() if _same(v) != _same(current.get(k))]


def _stale(
    session: Session,
    kind: str,
    entity_id: int,
    version: int,
    wanted: Mapping[str, Any],
    where: str,
    current_version: int,
    current: Mapping[str, Any],
) -> None:
    """A row exported at an older version: left alone if it is just as exported (only the app
    changed the record since), refused as a conflict if the workbook changed it too."""
    from placeplan.store.audit import state_at_version

    exported = state_at_version(session, kind, entity_id, version) if version else None
    if version == 0 or exported is not None:
        base = exported or {}
        if not _moved(base, wanted):
            return
        changes = {
            k: (base.get(k), _same(current.get(k)))
            for k in wanted
            if _same(base.get(k)) != _same(current.get(k))
        }
    else:
        changes = {}
    raise Conflict(
        f"{where} was changed in the app since the workbook was exported (exported at version "
        f"{version}, now at version {current_version}) and the workbook changes it too: "
        "export the tracker again and make your changes there",
        current_version=current_version,
        changes=changes,
    )


def _at(exc: InputError, sheet: str, row: int) -> InputError:
    exc.sheet = exc.sheet or sheet
    exc.row = exc.row or row
    return exc


def _update_values(given: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in UPDATE_FIELDS:
        value = given.get(name)
        if name.endswith("_rag"):
            out[name] = rules.check_rag(value, name)
        else:
            out[name] = _text(value)
    return out


def apply_tracker(
    session: Session,
    actor: Actor,
    plan_id: int,
    period: str,
    actions: list[TrackerActionIn],
    milestones: list[TrackerMilestoneIn],
) -> dict[str, Any]:
    """Apply a tracker workbook's changes to a plan, in the caller's transaction.

    Every row is checked first; only then are the changed rows written, each through the audited
    function for it (update_action, add_action, record_updates, add_milestone, update_milestone),
    so one bad or stale row refuses the lot and an unchanged workbook writes nothing. A row whose
    record was changed in the app since the export is refused as a Conflict naming the row, unless
    the workbook left that row as exported. Errors name the row and the field."""
    internal_plan(session, actor, plan_id)
    when = rules.parse_reporting_period(period)
    stored = {
        a.ref: a
        for a in session.scalars(
            select(DeliveryAction)
            .where(DeliveryAction.plan_id == plan_id)
            .options(selectinload(DeliveryAction.priority), selectinload(DeliveryAction.milestones))
        )
    }
    priorities = {
        p.ref: p
        for p in session.scalars(
            select(DeliveryPriority).where(DeliveryPriority.plan_id == plan_id)
        )
    }
    updates = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period == when.label
            )
        )
    }
    found = framework(session, plan_id)
    known_principles = {str(p.get("ref")) for p in (found.principles if found else [])}
    known_groups = {
        str(g.get("name")).casefold(): str(g.get("name"))
        for g in (found.plus_groups if found else [])
    }
    bodies = list(session.scalars(select(Body)))
    by_key = {b.key.casefold(): b.id for b in bodies}
    by_name: dict[str, list[int]] = {}
    for b in bodies:
        by_name.setdefault(" ".join(b.name.split()).casefold(), []).append(b.id)

    def body_id(text: str | None) -> int | None:
        if text is None or not text.strip():
            return None
        wanted = " ".join(text.split()).casefold()
        if wanted in by_key:
            return by_key[wanted]
        ids = by_name.get(wanted, [])
        if len(ids) == 1:
            return ids[0]
        raise InputError(
            f"expected the name or key of a governance body; found {text!r}"
            + (", the name of more than one body: give its key" if ids else ""),
            field="body_id",
        )

    edits: list[tuple[TrackerActionIn, DeliveryAction, dict[str, Any]]] = []
    creations: list[tuple[TrackerActionIn, DeliveryPriority, dict[str, Any]]] = []
    report_rows: list[tuple[TrackerActionIn, dict[str, Any]]] = []
    summary: dict[str, Any] = {
        "period": when.label,
        "actions_created": 0,
        "actions_changed": 0,
        "updates_written": 0,
        "milestones_created": 0,
        "milestones_changed": 0,
        "left_as_changed_in_the_app": 0,
        "changes": [],
    }
    for given in actions:
        try:
            wanted = dict(given.values)
            if "body" in wanted:
                wanted["body_id"] = body_id(wanted.pop("body"))
            if "lead_user" in wanted:
                wanted["lead_user_id"] = user_id_for(session, wanted.pop("lead_user"))
            if "stage" in wanted:
                wanted["stage"] = rules.check_stage(str(wanted["stage"] or "not_started"))
            action = stored.get(given.ref)
            current = {k: getattr(action, k) for k in wanted} if action else {}
            for name, known, what in (
                ("principles", known_principles, "the ref of one of the plan's guiding principles"),
                ("plus_groups", set(known_groups), "one of the plan's PLUS groups"),
            ):
                if name not in wanted or not known:
                    continue
                items = []
                for item in wanted[name] or []:
                    key = item if name == "principles" else item.casefold()
                    if item not in (current.get(name) or []) and key not in known:
                        raise InputError(f"expected {what}; found {item!r}", field=name)
                    items.append(known_groups.get(key, item) if name == "plus_groups" else item)
                wanted[name] = items
            if action is None:
                if given.version is not None:
                    raise InputError(
                        f"the plan has no action {given.ref}, yet this row was exported (its"
                        " version is filled in): an action's ref cannot be changed by import;"
                        " for a new action leave the version blank",
                        field="ref",
                    )
                priority = priorities.get(given.priority_ref or "")
                if priority is None:
                    raise InputError(
                        "expected the ref of one of the plan's priorities for a new action; found "
                        + repr(given.priority_ref or "an empty cell"),
                        field="priority_ref",
                    )
                if not _same(wanted.get("we_will")):
                    raise InputError("a new action needs its 'We will' statement", field="we_will")
                creations.append((given, priority, {k: _same_text(v) for k, v in wanted.items()}))
            else:
                if given.priority_ref is not None and given.priority_ref != action.priority.ref:
                    raise InputError(
                        f"expected {action.priority.ref}, the priority of action {action.ref}; "
                        f"found {given.priority_ref!r} (move an action between priorities in the app)",
                        field="priority_ref",
                    )
                if given.version is None:
                    raise InputError(
                        f"expected the version exported with action {action.ref}; found an empty cell",
                        field="version",
                    )
                moved = _moved(current, wanted)
                if moved:
                    where = f"action {action.ref} (sheet {given.sheet}, row {given.row})"
                    if given.version != action.version:
                        _stale(
                            session,
                            "delivery_action",
                            action.id,
                            given.version,
                            wanted,
                            where,
                            action.version,
                            current,
                        )
                        summary["left_as_changed_in_the_app"] += 1
                    else:
                        edits.append((given, action, {k: _same_text(wanted[k]) for k in moved}))
            if given.update is not None:
                report = _update_values(given.update)
                report_rows.append((given, report))
                stored_update = updates.get(action.id) if action else None
                now = {k: getattr(stored_update, k) for k in UPDATE_FIELDS} if stored_update else {}
                if not _moved(now, report):
                    continue
                if report["overall_rag"] is None:
                    raise InputError(
                        f"give action {given.ref} an overall RAG rating for {when.label}"
                        + (
                            ""
                            if any(report.values())
                            else ": a period's update cannot be removed by import"
                        ),
                        field="overall_rag",
                    )
                exported_at = given.update_version or 0
                current_at = stored_update.version if stored_update else 0
                if exported_at != current_at:
                    where = f"the {when.label} update of action {given.ref} (sheet {given.sheet}, row {given.row})"
                    if stored_update is None:
                        raise Conflict(
                            f"{where} was removed since the workbook was exported",
                            current_version=0,
                        )
                    _stale(
                        session,
                        "delivery_update",
                        stored_update.id,
                        exported_at,
                        report,
                        where,
                        current_at,
                        now,
                    )
                    summary["left_as_changed_in_the_app"] += 1
                    report_rows.pop()
        except InputError as exc:
            raise _at(exc, given.sheet, given.row) from None
    new_refs = {g.ref for g, _, _ in creations}
    milestone_edits: list[tuple[TrackerMilestoneIn, DeliveryMilestone, dict[str, Any]]] = []
    milestone_adds: list[tuple[TrackerMilestoneIn, dict[str, Any]]] = []
    for given_m in milestones:
        try:
            action = stored.get(given_m.action_ref)
            if action is None and given_m.action_ref not in new_refs:
                raise InputError(
                    f"expected the ref of an action of the plan (on the Actions sheet); found "
                    f"{given_m.action_ref!r}",
                    field="action_ref",
                )
            wanted = dict(given_m.values)
            if "by_text" in wanted and not _same(wanted["by_text"]):
                raise InputError("a milestone needs its 'By ...' text", field="by_text")
            if wanted.get("done_date") is not None and wanted["done_date"] > date.today():
                raise InputError("a milestone cannot be done in the future", field="done_date")
            existing = (
                next((m for m in action.milestones if m.ref == given_m.ref), None)
                if action is not None and given_m.ref
                else None
            )
            if existing is None:
                if given_m.version is not None:
                    raise InputError(
                        f"action {given_m.action_ref} has no milestone {given_m.ref}, yet this row "
                        "was exported (its version is filled in): a milestone's ref cannot be "
                        "changed by import; for a new milestone leave the version blank",
                        field="ref",
                    )
                if not _same(wanted.get("by_text")):
                    raise InputError("a new milestone needs its 'By ...' text", field="by_text")
                milestone_adds.append((given_m, wanted))
                continue
            if given_m.version is None:
                raise InputError(
                    f"expected the version exported with milestone {existing.ref} of action "
                    f"{given_m.action_ref}; found an empty cell",
                    field="version",
                )
            current = {k: getattr(existing, k) for k in wanted}
            moved = _moved(current, wanted)
            if not moved:
                continue
            if given_m.version != existing.version:
                where = (
                    f"milestone {existing.ref} of action {given_m.action_ref} (sheet "
                    f"{given_m.sheet}, row {given_m.row})"
                )
                _stale(
                    session,
                    "delivery_milestone",
                    existing.id,
                    given_m.version,
                    wanted,
                    where,
                    existing.version,
                    current,
                )
                summary["left_as_changed_in_the_app"] += 1
                continue
            milestone_edits.append((given_m, existing, {k: _same_text(wanted[k]) for k in moved}))
        except InputError as exc:
            raise _at(exc, given_m.sheet, given_m.row) from None

    # Everything is checked: now the writes, each audited by the function that owns it.
    def note(sheet: str, row: int, what: str, ref: str, fields: list[str]) -> None:
        summary["changes"].append(
            {"sheet": sheet, "row": row, "what": what, "ref": ref, "fields": fields}
        )

    ids = {ref: a.id for ref, a in stored.items()}
    for given, action, values in edits:
        try:
            update_action(session, actor, action.id, given.version, values)
        except InputError as exc:
            raise _at(exc, given.sheet, given.row) from None
        summary["actions_changed"] += 1
        note(given.sheet, given.row, "action changed", action.ref, sorted(values))
    for given, priority, values in creations:
        try:
            created = add_action(session, actor, priority.id, given.ref, values)
        except InputError as exc:
            raise _at(exc, given.sheet, given.row) from None
        ids[given.ref] = created.id
        summary["actions_created"] += 1
        note(given.sheet, given.row, "action created", given.ref, sorted(values))
    written = []
    for given, report in report_rows:
        stored_update = updates.get(ids[given.ref])
        now = {k: getattr(stored_update, k) for k in UPDATE_FIELDS} if stored_update else {}
        if not _moved(now, report):
            continue
        written.append(
            (
                given,
                UpdateIn(ids[given.ref], stored_update.version if stored_update else 0, **report),
                _moved(now, report),
            )
        )
    try:
        record_updates(session, actor, plan_id, when.label, [u for _, u, _ in written])
    except InputError as exc:
        row_of = {
            f"{k}-{u.action_id}": g
            for g, u, _ in written
            for k in ("overall", "risk", "trajectory")
        }
        if (given_row := row_of.get(exc.field or "")) is not None:
            exc.field = exc.field.split("-")[0] + "_rag" if exc.field else exc.field
            raise _at(exc, given_row.sheet, given_row.row) from None
        raise
    for given, _update_in, fields in written:
        summary["updates_written"] += 1
        note(given.sheet, given.row, f"{when.label} update", given.ref, sorted(fields))
    for given_m, existing, values in milestone_edits:
        try:
            update_milestone(session, actor, existing.id, given_m.version, values)
        except InputError as exc:
            raise _at(exc, given_m.sheet, given_m.row) from None
        summary["milestones_changed"] += 1
        note(
            given_m.sheet,
            given_m.row,
            "milestone changed",
            f"{given_m.action_ref}/{existing.ref}",
            sorted(values),
        )
    for given_m, values in milestone_adds:
        try:
            added = add_milestone(
                session,
                actor,
                ids[given_m.action_ref],
                given_m.ref or "",
                str(values.get("by_text") or ""),
                values.get("due_date"),
                values.get("done_date"),
            )
        except InputError as exc:
            raise _at(exc, given_m.sheet, given_m.row) from None
        summary["milestones_created"] += 1
        note(
            given_m.sheet,
            given_m.row,
            "milestone created",
            f"{given_m.action_ref}/{added.ref}",
            sorted(values),
        )
    return summary


def _same_text(value: Any) -> Any:
    """What is stored for a value read from the workbook: text without its outer spaces."""
    if isinstance(value, str):
        return value.strip() or None
    return value
