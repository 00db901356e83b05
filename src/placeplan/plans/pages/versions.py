"""Pages for a plan's versions: the checked moment of submission, each version kept, and the
differences between any two of them (or with the year before)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.permissions import require
from placeplan.organisations.service import list_organisations
from placeplan.plans import service
from placeplan.plans.models import Plan
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.differences import DIFFERENCE_COLUMNS, difference_rows
from placeplan.web.forms import Refused, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter()


def _submit_page(
    request: Request,
    session: Session,
    asker: Who,
    plan: Plan,
    acknowledged: list[str],
    status_code: int = 200,
    error: Refused | None = None,
) -> Response:
    return render(
        request,
        "plans/submit.html",
        asker,
        status_code=status_code,
        plan=plan,
        period=service.period_of(plan).label,
        check=service.submission_check(session, plan),
        acknowledged=acknowledged,
        **refusal(error),
    )


@router.get("/plans/{plan_id}/submit", response_class=HTMLResponse, include_in_schema=False)
def submit_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = service.get_plan(session, asker.actor, plan_id)
    service.require_edit(asker.actor, plan)
    return _submit_page(request, session, asker, plan, [])


@router.post("/plans/{plan_id}/submit", include_in_schema=False)
def submit_confirmed(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    acknowledged = [str(v) for v in form.getlist("acknowledged")]

    def again(exc: Refused, status: int) -> Response:
        plan = service.get_plan(session, asker.actor, plan_id)
        return _submit_page(request, session, asker, plan, acknowledged, status, exc)

    return save(
        session,
        lambda: service.change_status(
            session, asker.actor, plan_id, "submitted", required_version(form), acknowledged
        ),
        then=f"/plans/{plan_id}",
        again=again,
        notice=lambda plan: (
            f"Submitted: version {_latest_number(session, plan)} is kept as"
            " submitted, and the sign-off chain decides on it"
        ),
    )


def _latest_number(session: Session, plan: Plan) -> int:
    latest = service.latest_snapshot(session, plan.id)
    return latest.number if latest else 0


@router.get(
    "/plans/{plan_id}/versions/{number}", response_class=HTMLResponse, include_in_schema=False
)
def version_page(
    request: Request,
    plan_id: int,
    number: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = service.get_plan(session, asker.actor, plan_id)
    require(service.may_read_internals(asker.actor, plan), "read the versions a plan kept")
    snapshot = service.get_snapshot(session, asker.actor, plan_id, number)
    return render(
        request,
        "plans/version.html",
        asker,
        plan=plan,
        snapshot=snapshot,
        content=snapshot.content,
        latest=_latest_number(session, plan),
        organisation_names={o.key: o.name for o in list_organisations(session)},
    )


@router.get("/plans/{plan_id}/differences", include_in_schema=False)
def differences_page(
    request: Request,
    plan_id: int,
    before: str | None = Query(None, alias="from"),
    after: str = Query("current", alias="to"),
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """`from` and `to`: a version number, `current` or `previous-year`; `from` defaults to the
    latest version submitted (or the year before, when none is)."""
    comparison = service.compare_versions(session, asker.actor, plan_id, before, after)
    plan = comparison.plan
    latest = _latest_number(session, plan)
    start = before or (str(latest) if latest else "previous-year")
    if format == "csv":
        return csv_response(
            f"plan-{plan.id}-differences.csv",
            DIFFERENCE_COLUMNS,
            difference_rows(comparison.differences),
        )
    return render(
        request,
        "plans/differences.html",
        asker,
        plan=plan,
        comparison=comparison,
        before=start,
        after=after,
        versions=service.list_snapshots(session, plan.id)
        if service.may_read_internals(asker.actor, plan)
        else [],
        has_previous=service.previous_year_plan(session, plan) is not None,
    )
