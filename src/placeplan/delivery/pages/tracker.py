"""The tracker page, the period update form, the highlight page and the public view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.core.periods import parse_quarter_or_month
from placeplan.delivery import present, service
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.rows import ActionRow
from placeplan.delivery.domain.updates import UpdateIn, plan_quarters
from placeplan.delivery.service.highlight import PAGE_BODIES, reused
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, refusal, required_version, save
from placeplan.web.templating import csv_response, render, templates

router = APIRouter(include_in_schema=False)
LABELS = present.LABELS


@router.get("/plans/{plan_id}/delivery")
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
            present.TRACKER_COLUMNS,
            present.tracker_csv_rows(t.actions),
        )
    by_priority: dict[str, list[ActionRow]] = {}
    for row in t.actions:
        by_priority.setdefault(row.priority_ref, []).append(row)
    return render(
        request,
        "delivery/tracker.html",
        asker,
        plan=t.plan,
        tracker=t,
        by_priority=by_priority,
        labels=LABELS,
        can_edit=service.can_edit(asker.actor, t.plan),
    )


@router.get("/plans/{plan_id}/delivery/history")
def history_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Each action's overall rating in each reporting period: a grid, and its CSV."""
    history = service.rag_history(session, asker.actor, plan_id)
    if format == "csv":
        header, rows = present.history_csv(history.periods, history.rows)
        return csv_response(f"plan-{plan_id}-ratings-by-period.csv", header, rows)
    return render(
        request,
        "delivery/history.html",
        asker,
        plan=history.plan,
        history=history,
        labels=LABELS,
        rag=present.RAG,
        rag_defs=service.rag_definitions(session, plan_id),
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
    periods = plan_quarters(plan.period_start, plan.period_end)
    return render(
        request,
        "delivery/update.html",
        asker,
        status_code=status_code,
        plan=plan,
        period=when,
        periods=periods if when.label in periods else [*periods, when.label],
        rows=rows,
        mine=mine,
        labels=LABELS,
        rags=rules.RAGS,
        rag_defs=service.rag_definitions(session, plan_id),
        error=error,
        conflict=conflict,
        typed=typed,
    )


@router.get("/plans/{plan_id}/delivery/update")
def update_form(
    request: Request,
    plan_id: int,
    period: str | None = None,
    mine: bool = False,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _form_page(request, session, asker, plan_id, period or None, mine)


def _typed_updates(form: FormData) -> list[UpdateIn]:
    updates = []
    for raw in form.getlist("action"):
        if not str(raw).isdigit():
            continue
        action_id = int(str(raw))
        updates.append(
            UpdateIn(
                action_id,
                # 0 when the form was opened on no report; a form without it was not ours
                required_version(form, f"version-{action_id}"),
                **{
                    name: str(form.get(f"{key}-{action_id}") or "")
                    for key, name in present.UPDATE_FORM_FIELDS.items()
                },
            )
        )
    return updates


@router.post("/plans/{plan_id}/delivery/update")
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

    def write() -> str:
        when = parse_quarter_or_month(period)
        service.record_updates(session, asker.actor, plan_id, when.label, _typed_updates(form))
        return when.label

    def again(exc: Refused, status: int) -> Response:
        shown = refusal(exc)
        keep = shown["conflict"] is not None or getattr(exc, "field", "") != "period"
        return _form_page(
            request,
            session,
            asker,
            plan_id,
            period if keep else None,
            mine,
            status,
            typed=typed,
            **shown,
        )

    return save(
        session,
        write,
        then=lambda label: f"/plans/{plan_id}/delivery?period={label.replace(' ', '+')}",
        again=again,
    )


@router.get("/plans/{plan_id}/delivery/highlight")
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

    def make() -> Markup:
        report = service.highlight(session, asker.actor, plan_id, period or None, body or None)
        return Markup(
            templates.get_template("delivery/highlight_report.html").render(
                plan_id=plan_id,
                report=report,
                periods=service.periods_with_updates(session, plan_id),
                bodies=service.plan_bodies(session, plan_id),
                reds_only=reds_only,
                labels=LABELS,
            )
        )

    html = reused(PAGE_BODIES, session, plan_id, (period or None, body or None, reds_only), make)
    return render(
        request, "delivery/highlight.html", asker, plan=plan, body=html, reds_only=reds_only
    )


@router.get("/public/plans/{plan_id}")
def public_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    view = service.public_view(session, plan_id)
    return render(request, "public_plan.html", asker, view=view, plan=view["plan"])
