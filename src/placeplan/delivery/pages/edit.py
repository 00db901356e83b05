"""Pages to change a delivery tracker: add and edit actions and milestones, mark milestones done. Every save goes through the audited service
functions; an edit carries the version the form was opened at, and a stale one shows the
conflict and keeps what was typed, overwriting nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError, NotFound
from placeplan.core.permissions import require
from placeplan.delivery import service
from placeplan.delivery.domain import rules
from placeplan.delivery.models import DeliveryAction, DeliveryMilestone, DeliveryPriority
from placeplan.people.models import User
from placeplan.plans.models import Plan
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, refusal, required_version, save, version_again
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)

TEXTS = [
    "we_will",
    "i_will",
    "improvement",
    "equity",
    "resources",
    "resources_source",
    "engagement",
    "governance_note",
]
LINES = ["lead_contacts", "lead_organisations"]
DATES = ["start_date", "due_date"]
CHECKS = ["principles", "plus_groups"]
# Where an error about a field sends the reader: the first input of that field on the page.
FIELD_IDS = {
    "start_date": "start_date-day",
    "due_date": "due_date-day",
    "done_date": "done_date-day",
    "lead_user_id": "lead_user",
    "priority_id": "priority_id",
}


def _editable_plan(session: Session, asker: Who, plan_id: int) -> Plan:
    return service.editable_plan(session, asker.actor, plan_id)


def _action_of(session: Session, asker: Who, plan_id: int, action_id: int) -> DeliveryAction:
    action = service.get_action(session, asker.actor, action_id)
    if action.plan_id != plan_id:
        raise NotFound(f"no action {action_id} in plan {plan_id}")
    return action


def _milestone_of(
    session: Session, asker: Who, plan_id: int, milestone_id: int
) -> DeliveryMilestone:
    milestone = service.get_milestone(session, asker.actor, milestone_id)
    if milestone.plan_id != plan_id:
        raise NotFound(f"no milestone {milestone_id} in plan {plan_id}")
    return milestone


def _errors(error: InputError | None) -> list[dict[str, str]]:
    if error is None:
        return []
    field = error.field or "maincontent"
    return [{"field": field, "href": FIELD_IDS.get(field, field), "message": error.message}]


def _form(
    request: Request,
    asker: Who,
    name: str,
    status_code: int,
    error: InputError | None,
    conflict: Conflict | None,
    **context: Any,
) -> Response:
    """One of this module's forms: the fields' values, the version it was opened at, and what
    refused the last save (its error linked to the field's first input)."""
    return render(
        request,
        name,
        asker,
        status_code=status_code,
        errors=_errors(error),
        error=error,
        conflict=conflict,
        **context,
    )


def _date_parts(value: date | None) -> dict[str, str]:
    if value is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


def _typed_date(form: FormData, name: str) -> dict[str, str]:
    return {
        part: str(form.get(f"{name}-{part}") or "").strip() for part in ("day", "month", "year")
    }


def _parse_date(parts: dict[str, str], name: str, label: str) -> date | None:
    if not any(parts.values()):
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise InputError(
            f"{label} must be a real date, for example 31 3 2025", field=name
        ) from None


# ---- actions ----------------------------------------------------------------------------------


def _action_values(action: DeliveryAction, session: Session) -> dict[str, Any]:
    lead = session.get(User, action.lead_user_id) if action.lead_user_id else None
    return {
        **{k: getattr(action, k) or "" for k in TEXTS},
        **{k: "\n".join(getattr(action, k) or []) for k in LINES},
        **{k: _date_parts(getattr(action, k)) for k in DATES},
        **{k: list(getattr(action, k) or []) for k in CHECKS},
        "stage": action.stage,
        "equity_assured": ""
        if action.equity_assured is None
        else ("yes" if action.equity_assured else "no"),
        "body_id": str(action.body_id or ""),
        "lead_user": lead.username if lead else "",
        "priority_id": str(action.priority_id),
        "ref": action.ref,
    }


def _typed_values(form: FormData) -> dict[str, Any]:
    return {
        **{k: str(form.get(k) or "") for k in (*TEXTS, *LINES)},
        **{k: _typed_date(form, k) for k in DATES},
        **{k: [str(v) for v in form.getlist(k)] for k in CHECKS},
        **{
            k: str(form.get(k) or "")
            for k in ("stage", "equity_assured", "body_id", "lead_user", "priority_id", "ref")
        },
    }


def _changes(session: Session, typed: dict[str, Any]) -> dict[str, Any]:
    """The service's values from what was typed; a bad date or username is an InputError."""
    out: dict[str, Any] = {k: typed[k].strip() or None for k in TEXTS}
    out["we_will"] = typed["we_will"].strip()
    out.update({k: [x.strip() for x in typed[k].splitlines() if x.strip()] for k in LINES})
    out["start_date"] = _parse_date(typed["start_date"], "start_date", "Start date")
    out["due_date"] = _parse_date(typed["due_date"], "due_date", "Due date")
    out.update({k: typed[k] for k in CHECKS})
    out["stage"] = typed["stage"] or "not_started"
    out["equity_assured"] = {"yes": True, "no": False}.get(typed["equity_assured"])
    out["body_id"] = int(typed["body_id"]) if typed["body_id"].isdigit() else None
    out["lead_user_id"] = service.user_id_for(session, typed["lead_user"])
    return out


def _action_form(
    request: Request,
    session: Session,
    asker: Who,
    plan: Plan,
    values: dict[str, Any],
    action: DeliveryAction | None = None,
    version: int | None = None,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    saved: bool = False,
) -> Response:
    found = service.framework(session, plan.id)
    priorities = list(
        session.scalars(
            select(DeliveryPriority)
            .where(DeliveryPriority.plan_id == plan.id)
            .order_by(DeliveryPriority.theme_id, DeliveryPriority.position)
        )
    )
    principles = [
        (str(p.get("ref")), str(p.get("name"))) for p in (found.principles if found else [])
    ]
    groups = [str(g.get("name")) for g in (found.plus_groups if found else [])]
    # Keep any value the action holds that the framework does not list, so a save keeps it.
    principles += [(v, v) for v in values["principles"] if v not in {r for r, _ in principles}]
    groups += [v for v in values["plus_groups"] if v not in groups]
    return _form(
        request,
        asker,
        "delivery/edit_action.html",
        status_code,
        error,
        conflict,
        plan=plan,
        action=action,
        values=values,
        version=version,
        priorities=priorities,
        bodies=service.bodies_for(session, plan, action.body_id if action else None),
        stages=rules.STAGES,
        principles=principles,
        groups=groups,
        saved=saved,
    )


@router.get("/plans/{plan_id}/delivery/actions/new", include_in_schema=False)
def new_action_page(
    request: Request,
    plan_id: int,
    priority: int | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = _editable_plan(session, asker, plan_id)
    values = _typed_values(FormData())
    values["priority_id"] = str(priority or "")
    return _action_form(request, session, asker, plan, values)


@router.post("/plans/{plan_id}/delivery/actions/new", include_in_schema=False)
def new_action_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _editable_plan(session, asker, plan_id)
    typed = _typed_values(form)

    def write() -> DeliveryAction:
        priority = (
            session.get(DeliveryPriority, int(typed["priority_id"]))
            if typed["priority_id"].isdigit()
            else None
        )
        if priority is None or priority.plan_id != plan_id:
            raise InputError("Choose the priority the action serves", field="priority_id")
        return service.add_action(
            session, asker.actor, priority.id, typed["ref"], _changes(session, typed)
        )

    def again(exc: Refused, status: int) -> Response:
        plan = _editable_plan(session, asker, plan_id)
        error = refusal(exc)["error"]
        return _action_form(request, session, asker, plan, typed, status_code=status, error=error)

    return save(
        session,
        write,
        then=lambda action: f"/plans/{plan_id}/delivery/actions/{action.id}/edit?saved=1",
        again=again,
    )


@router.get("/plans/{plan_id}/delivery/actions/{action_id}/edit", include_in_schema=False)
def edit_action_page(
    request: Request,
    plan_id: int,
    action_id: int,
    saved: bool = False,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = _editable_plan(session, asker, plan_id)
    action = _action_of(session, asker, plan_id, action_id)
    values = _action_values(action, session)
    return _action_form(request, session, asker, plan, values, action, action.version, saved=saved)


@router.post("/plans/{plan_id}/delivery/actions/{action_id}/edit", include_in_schema=False)
def edit_action_submit(
    request: Request,
    plan_id: int,
    action_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _editable_plan(session, asker, plan_id)
    _action_of(session, asker, plan_id, action_id)
    typed = _typed_values(form)
    started = required_version(form)

    def write() -> None:
        service.update_action(session, asker.actor, action_id, started, _changes(session, typed))

    def again(exc: Refused, status: int) -> Response:
        plan = _editable_plan(session, asker, plan_id)
        action = _action_of(session, asker, plan_id, action_id)
        typed["ref"], typed["priority_id"] = action.ref, str(action.priority_id)
        # Keep what they typed; after a conflict the next save goes ahead knowingly.
        shown = version_again(exc, started, action.version)
        return _action_form(
            request, session, asker, plan, typed, action, shown, status, **refusal(exc)
        )

    return save(
        session,
        write,
        then=f"/plans/{plan_id}/delivery/actions/{action_id}/edit?saved=1",
        again=again,
    )


# ---- milestones -------------------------------------------------------------------------------


def _milestone_form(
    request: Request,
    asker: Who,
    plan: Plan,
    action: DeliveryAction,
    values: dict[str, Any],
    milestone: DeliveryMilestone | None = None,
    version: int | None = None,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
) -> Response:
    return _form(
        request,
        asker,
        "delivery/edit_milestone.html",
        status_code,
        error,
        conflict,
        plan=plan,
        action=action,
        milestone=milestone,
        values=values,
        version=version,
    )


def _typed_milestone(form: FormData) -> dict[str, Any]:
    return {
        "ref": str(form.get("ref") or ""),
        "by_text": str(form.get("by_text") or ""),
        "due_date": _typed_date(form, "due_date"),
        "done_date": _typed_date(form, "done_date"),
    }


@router.get("/plans/{plan_id}/delivery/actions/{action_id}/milestones/new", include_in_schema=False)
def new_milestone_page(
    request: Request,
    plan_id: int,
    action_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = _editable_plan(session, asker, plan_id)
    action = _action_of(session, asker, plan_id, action_id)
    return _milestone_form(request, asker, plan, action, _typed_milestone(FormData()))


@router.post(
    "/plans/{plan_id}/delivery/actions/{action_id}/milestones/new", include_in_schema=False
)
def new_milestone_submit(
    request: Request,
    plan_id: int,
    action_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _editable_plan(session, asker, plan_id)
    _action_of(session, asker, plan_id, action_id)
    typed = _typed_milestone(form)

    def write() -> None:
        service.add_milestone(
            session,
            asker.actor,
            action_id,
            typed["ref"],
            typed["by_text"],
            _parse_date(typed["due_date"], "due_date", "Due date"),
            _parse_date(typed["done_date"], "done_date", "Date done"),
        )

    def again(exc: Refused, status: int) -> Response:
        plan = _editable_plan(session, asker, plan_id)
        action = _action_of(session, asker, plan_id, action_id)
        error = refusal(exc)["error"]
        return _milestone_form(request, asker, plan, action, typed, status_code=status, error=error)

    return save(session, write, then=_milestones_url(plan_id, action_id), again=again)


@router.get("/plans/{plan_id}/delivery/milestones/{milestone_id}/edit", include_in_schema=False)
def edit_milestone_page(
    request: Request,
    plan_id: int,
    milestone_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = _editable_plan(session, asker, plan_id)
    m = _milestone_of(session, asker, plan_id, milestone_id)
    values = {
        "ref": m.ref,
        "by_text": m.by_text,
        "due_date": _date_parts(m.due_date),
        "done_date": _date_parts(m.done_date),
    }
    return _milestone_form(request, asker, plan, m.action, values, m, m.version)


@router.post("/plans/{plan_id}/delivery/milestones/{milestone_id}/edit", include_in_schema=False)
def edit_milestone_submit(
    request: Request,
    plan_id: int,
    milestone_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _editable_plan(session, asker, plan_id)
    m = _milestone_of(session, asker, plan_id, milestone_id)
    action_id = m.action_id
    typed = _typed_milestone(form)
    started = required_version(form)

    def write() -> None:
        service.update_milestone(
            session,
            asker.actor,
            milestone_id,
            started,
            {
                "ref": typed["ref"],
                "by_text": typed["by_text"],
                "due_date": _parse_date(typed["due_date"], "due_date", "Due date"),
                "done_date": _parse_date(typed["done_date"], "done_date", "Date done"),
            },
        )

    def again(exc: Refused, status: int) -> Response:
        plan = _editable_plan(session, asker, plan_id)
        m = _milestone_of(session, asker, plan_id, milestone_id)
        shown = version_again(exc, started, m.version)
        return _milestone_form(
            request, asker, plan, m.action, typed, m, shown, status, **refusal(exc)
        )

    return save(session, write, then=_milestones_url(plan_id, action_id), again=again)


def _done_form(
    request: Request,
    asker: Who,
    plan: Plan,
    m: DeliveryMilestone,
    values: dict[str, str],
    version: int,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
) -> Response:
    return _form(
        request,
        asker,
        "delivery/edit_milestone_done.html",
        status_code,
        error,
        conflict,
        plan=plan,
        action=m.action,
        milestone=m,
        values=values,
        version=version,
        editor=service.can_edit(asker.actor, plan),
    )


@router.get("/plans/{plan_id}/delivery/milestones/{milestone_id}/done", include_in_schema=False)
def milestone_done_page(
    request: Request,
    plan_id: int,
    milestone_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan, m = _done_target(session, asker, plan_id, milestone_id)
    return _done_form(request, asker, plan, m, _date_parts(m.done_date or date.today()), m.version)


def _done_target(
    session: Session, asker: Who, plan_id: int, milestone_id: int
) -> tuple[Plan, DeliveryMilestone]:
    """The plan and milestone a done form is about, once the asker may mark it: an editor of
    the plan, or the lead of the milestone's action."""
    plan = service.internal_plan(session, asker.actor, plan_id)
    m = _milestone_of(session, asker, plan_id, milestone_id)
    lead = asker.actor.principal is not None and m.action.lead_user_id == asker.actor.user_id
    require(service.can_edit(asker.actor, plan) or lead, "mark this action's milestones done")
    return plan, m


@router.post("/plans/{plan_id}/delivery/milestones/{milestone_id}/done", include_in_schema=False)
def milestone_done_submit(
    request: Request,
    plan_id: int,
    milestone_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan, m = _done_target(session, asker, plan_id, milestone_id)
    action_id = m.action_id
    typed = _typed_date(form, "done_date")
    started = required_version(form)

    def write() -> None:
        if str(form.get("undo") or "") == "1":
            done = None
        else:
            done = _parse_date(typed, "done_date", "Date done")
            if done is None:
                raise InputError("Enter the date the milestone was done", field="done_date")
        service.mark_milestone(session, asker.actor, milestone_id, started, done)

    def again(exc: Refused, status: int) -> Response:
        plan = service.internal_plan(session, asker.actor, plan_id)
        m = _milestone_of(session, asker, plan_id, milestone_id)
        shown = version_again(exc, started or m.version, m.version)
        return _done_form(request, asker, plan, m, typed, shown, status, **refusal(exc))

    editor = service.can_edit(asker.actor, plan)
    then = _milestones_url(plan_id, action_id) if editor else f"/plans/{plan_id}/delivery"
    return save(session, write, then=then, again=again)


def _milestones_url(plan_id: int, action_id: int) -> str:
    return f"/plans/{plan_id}/delivery/actions/{action_id}/edit?saved=1#milestones"
