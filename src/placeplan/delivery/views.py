"""Pages and API of delivery plans: the tracker, the period update form, the highlight report and
the public view. Internal pages and API answers need a sign-in; the public ones show a published
plan's public fields only."""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.delivery import report_data, rules, service
from placeplan.delivery.service import UpdateIn
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.templating import csv_response, render, templates

router = APIRouter()

LABELS = {
    "rag": rules.RAG_LABELS,
    "stages": rules.STAGES,
    "changes": rules.CHANGES,
    "rag_kinds": rules.RAG_KINDS,
}
TRACKER_COLUMNS = [
    "ref",
    "theme",
    "priority",
    "we_will",
    "stage",
    "body",
    "overall_rag",
    "change",
    "risk_rag",
    "trajectory_rag",
    "rated_in",
    "overdue_milestones",
]


@router.get("/plans/{plan_id}/delivery", include_in_schema=False)
def tracker_page(
    request: Request,
    plan_id: int,
    period: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    t = service.tracker(session, asker.actor, plan_id, period or None)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-delivery.csv",
            TRACKER_COLUMNS,
            [
                [
                    r.ref,
                    r.theme,
                    r.priority,
                    r.we_will,
                    r.stage,
                    r.body or "",
                    r.current.overall if r.current else "",
                    r.change,
                    (r.current.risk or "") if r.current else "",
                    (r.current.trajectory or "") if r.current else "",
                    r.current.period if r.current else "",
                    len(r.overdue),
                ]
                for r in t.actions
            ],
        )
    by_priority: dict[str, list[service.ActionRow]] = {}
    for row in t.actions:
        by_priority.setdefault(row.priority_ref, []).append(row)
    return render(
        request,
        "delivery.html",
        asker,
        plan=t.plan,
        tracker=t,
        by_priority=by_priority,
        labels=LABELS,
        can_edit=service.can_edit(asker.actor, t.plan),
    )


def _form_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    period: str | None,
    mine: bool,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    plan, when, rows = service.update_form_rows(session, asker.actor, plan_id, period, mine)
    return render(
        request,
        "delivery_update.html",
        asker,
        status_code=status_code,
        plan=plan,
        period=when,
        rows=rows,
        mine=mine,
        labels=LABELS,
        rags=rules.RAGS,
        rag_defs=service.rag_definitions(session, plan_id),
        error=error,
        conflict=conflict,
        typed=typed,
    )


@router.get("/plans/{plan_id}/delivery/update", include_in_schema=False)
def update_form(
    request: Request,
    plan_id: int,
    period: str | None = None,
    mine: bool = False,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _form_page(request, session, asker, plan_id, period or None, mine)


_FIELDS = {
    "overall": "overall_rag",
    "risk": "risk_rag",
    "trajectory": "trajectory_rag",
    "internal": "internal_commentary",
    "public": "public_commentary",
    "risks": "risks",
    "decision": "decision_needed",
    "evidence": "evidence",
}


@router.post("/plans/{plan_id}/delivery/update", include_in_schema=False)
def update_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    period = str(form.get("period") or "")
    mine = str(form.get("mine") or "") == "true"
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    updates = []
    for raw in form.getlist("action"):
        if not str(raw).isdigit():
            continue
        action_id = int(str(raw))
        version = str(form.get(f"version-{action_id}") or "0")
        updates.append(
            UpdateIn(
                action_id,
                int(version) if version.isdigit() else None,
                **{
                    name: str(form.get(f"{key}-{action_id}") or "") for key, name in _FIELDS.items()
                },
            )
        )
    try:
        when = rules.parse_reporting_period(period)
        service.record_updates(session, asker.actor, plan_id, when.label, updates)
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        return _form_page(
            request,
            session,
            asker,
            plan_id,
            period if isinstance(exc, Conflict) or getattr(exc, "field", "") != "period" else None,
            mine,
            409 if isinstance(exc, Conflict) else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=exc if isinstance(exc, Conflict) else None,
            typed=typed,
        )
    return RedirectResponse(
        f"/plans/{plan_id}/delivery?period={when.label.replace(' ', '+')}", status_code=303
    )


# The highlight page's report body, rendered HTML, reused while the plan's delivery revision token
# stands (any write to the tracker, in any process, replaces it) and for at most the service's
# report TTL. Rendering a 500-action report through Jinja took ~30 ms of a request and made the page
# 5x slower than the API under load; the body holds nothing about who is asking, so it is shared.
_BODIES: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
_REUSED_MAX = 32


def _reused(
    cache: OrderedDict[tuple[Any, ...], tuple[float, Any]],
    key: tuple[Any, ...],
    token: str | None,
    make: Callable[[], Any],
) -> Any:
    """What `make` gives, reused while the plan's revision token stands and for at most the
    service's report TTL; nothing is kept for a plan without a token yet."""
    now = time.monotonic()
    hit = cache.get(key) if token is not None else None
    if hit is not None and now - hit[0] < service.REPORT_TTL:
        return hit[1]
    made = make()
    if token is not None:
        cache[key] = (now, made)
        while len(cache) > _REUSED_MAX:
            cache.popitem(last=False)
    return made


@router.get("/plans/{plan_id}/delivery/highlight", include_in_schema=False)
def highlight_page(
    request: Request,
    plan_id: int,
    period: str | None = None,
    body: str | None = None,
    reds_only: bool = False,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = service.internal_plan(session, asker.actor, plan_id)  # every time: the permission check
    token = report_data.revision_token(session, plan_id)
    key = (
        str(session.get_bind().engine.url),
        plan_id,
        period or None,
        body or None,
        reds_only,
        token,
    )

    def make() -> Markup:
        report = service.highlight(session, asker.actor, plan_id, period or None, body or None)
        return Markup(
            templates.get_template("delivery/highlight_report.html").render(
                plan_id=plan_id,
                report=report,
                periods=service.periods_with_updates(session, plan_id),
                bodies=report_data.plan_bodies(session, plan_id),
                reds_only=reds_only,
                labels=LABELS,
            )
        )

    html = _reused(_BODIES, key, token, make)
    return render(
        request, "delivery_highlight.html", asker, plan=plan, body=html, reds_only=reds_only
    )


@router.get("/public/plans/{plan_id}", include_in_schema=False)
def public_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    view = service.public_view(session, plan_id)
    return render(request, "public_plan.html", asker, view=view, plan=view["plan"])


# ---- JSON API ---------------------------------------------------------------------------------


def _row_json(row: service.ActionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "ref": row.ref,
        "we_will": row.we_will,
        "stage": row.stage,
        "theme": row.theme,
        "priority_ref": row.priority_ref,
        "body_id": row.body_id,
        "lead_contacts": row.lead_contacts,
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "version": row.version,
        "current": {**asdict(row.current), "period_end": row.current.period_end.isoformat()}
        if row.current
        else None,
        "previous_rag": row.previous.overall if row.previous else None,
        "change": row.change,
        "overdue": [{**m, "due": m["due"].isoformat()} for m in row.overdue],
    }


@router.get("/api/v1/plans/{plan_id}/delivery", tags=["delivery"])
def api_tracker(
    plan_id: int,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    """The tracker (signed in only): every action with its latest ratings up to the period."""
    t = service.tracker(session, asker.actor, plan_id, period)
    return {
        "plan_id": plan_id,
        "period": t.period.label if t.period else None,
        "periods": t.periods,
        "rag_definitions": t.rag_definitions,
        "themes": [
            {
                "ref": th.ref,
                "name": th.name,
                "ambition": th.ambition,
                "priorities": [
                    {
                        "ref": p.ref,
                        "statement": p.statement,
                        "outcome_statement": p.outcome_statement,
                    }
                    for p in th.priorities
                ],
            }
            for th in t.themes
        ],
        "actions": [_row_json(r) for r in t.actions],
    }


# The API's encoded answers, reused on the same terms as the page's bodies above: FastAPI's
# encoder walking a 500-action report cost more than computing it.
_ANSWERS: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()


@router.get(
    "/api/v1/plans/{plan_id}/delivery/highlight",
    tags=["delivery"],
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def api_highlight(
    plan_id: int,
    period: str | None = None,
    body: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """The highlight report (signed in only); the period defaults to the latest with updates."""
    plan = service.internal_plan(session, asker.actor, plan_id)  # every time: the permission check
    token = report_data.revision_token(session, plan_id)
    key = (
        str(session.get_bind().engine.url),
        plan_id,
        period or None,
        body or None,
        token,
        plan.title,
        plan.status,
    )

    def make() -> bytes:
        report = service.highlight(session, asker.actor, plan_id, period, body)
        return json.dumps(jsonable_encoder(report), separators=(",", ":")).encode()

    content = _reused(_ANSWERS, key, token, make)
    return Response(content, media_type="application/json")


@router.get("/api/v1/public/plans/{plan_id}", tags=["delivery"])
def api_public(plan_id: int, session: Session = Depends(db)) -> dict[str, Any]:
    """A published plan's public view: Ambition / We will / By / I will with progress."""
    return service.public_view(session, plan_id)


class ActionChange(BaseModel):
    version: int
    we_will: str | None = None
    i_will: str | None = None
    stage: str | None = None
    equity: str | None = None
    equity_assured: bool | None = None
    resources: str | None = None
    engagement: str | None = None
    body_id: int | None = None
    start_date: date | None = None
    due_date: date | None = None
    lead_contacts: list[str] | None = None
    lead_user_id: int | None = None


@router.patch("/api/v1/delivery/actions/{action_id}", tags=["delivery"])
def api_update_action(
    action_id: int,
    body: ActionChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    action = service.update_action(session, asker.actor, action_id, body.version, changes)
    commit(session)
    return {"id": action.id, "ref": action.ref, "stage": action.stage, "version": action.version}


class UpdateBody(BaseModel):
    version: int = 0
    overall_rag: str
    risk_rag: str | None = None
    trajectory_rag: str | None = None
    internal_commentary: str | None = None
    public_commentary: str | None = None
    risks: str | None = None
    decision_needed: str | None = None
    evidence: str | None = None


@router.put("/api/v1/delivery/actions/{action_id}/updates/{period}", tags=["delivery"])
def api_record_update(
    action_id: int,
    period: str,
    body: UpdateBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    action = service.get_action(session, asker.actor, action_id)
    saved = service.record_updates(
        session,
        asker.actor,
        action.plan_id,
        period,
        [UpdateIn(action_id, **body.model_dump())],
    )
    commit(session)
    return {"action_id": action_id, "period": saved[0].period, "version": saved[0].version}
