"""The returns pages: a plan's returns by quarter, one return (edited while a draft, confirmed by
someone who may decide a step of the plan's sign-off chain, read-only after), and its workbook."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.budget.domain.actuals import Quarter
from placeplan.budget.service.actuals import plan_year, readable_plan
from placeplan.returns.io.xlsx import XLSX, return_bytes
from placeplan.returns.present import signed
from placeplan.returns.service import confirm_return, return_view, returns_of, save_return
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import download
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)
FIELDS = ("conditions_met", "conditions_confirmed_by", "conditions_note", "successes", "challenges")


@router.get("/plans/{plan_id}/returns")
def returns_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = readable_plan(session, asker.actor, plan_id)
    kept = {r.quarter: r for r in returns_of(session, asker.actor, plan_id)}
    quarters = Quarter(plan_year(plan).start_year, 4).earlier()
    return render(request, "returns/list.html", asker, plan=plan, quarters=quarters, kept=kept)


def _return_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    quarter: str,
    status_code: int = 200,
    refused: Refused | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    view = return_view(session, asker.actor, plan_id, quarter)
    row = view.row
    shown = typed or {
        "conditions_met": ""
        if row is None or row.conditions_met is None
        else ("yes" if row.conditions_met else "no"),
        **{k: (getattr(row, k) or "") if row else "" for k in FIELDS[1:]},
    }
    return render(
        request,
        "returns/return.html",
        asker,
        status_code=status_code,
        plan=view.plan,
        view=view,
        c=view.content,
        shown=shown,
        version=row.version if row else 0,
        signed=signed,
        **refusal(refused),
    )


@router.get("/plans/{plan_id}/returns/{quarter}")
def return_page(
    request: Request,
    plan_id: int,
    quarter: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _return_page(request, session, asker, plan_id, quarter)


@router.get("/plans/{plan_id}/returns/{quarter}/return.xlsx")
def return_workbook(
    plan_id: int, quarter: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    view = return_view(session, asker.actor, plan_id, quarter)
    return download(
        return_bytes(view.content), XLSX, f"plan-{plan_id}-return-{view.quarter.slug}.xlsx"
    )


def _met(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


@router.post("/plans/{plan_id}/returns/{quarter}")
def return_save(
    request: Request,
    plan_id: int,
    quarter: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, *FIELDS)
    values: dict[str, object] = {**typed, "conditions_met": _met(typed["conditions_met"])}
    return save(
        session,
        lambda: save_return(session, asker.actor, plan_id, quarter, values, required_version(form)),
        then=f"/plans/{plan_id}/returns/{quarter}",
        again=lambda refused, status: _return_page(
            request, session, asker, plan_id, quarter, status, refused, typed
        ),
        notice="Return saved",
    )


@router.post("/plans/{plan_id}/returns/{quarter}/confirm")
def return_confirm(
    request: Request,
    plan_id: int,
    quarter: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return save(
        session,
        lambda: confirm_return(session, asker.actor, plan_id, quarter, required_version(form)),
        then=f"/plans/{plan_id}/returns/{quarter}",
        again=lambda refused, status: _return_page(
            request, session, asker, plan_id, quarter, status, refused
        ),
        notice="Return confirmed: it is kept as it is now and can no longer change",
    )
