"""The actual spend pages: every line at a quarter (and its CSV), one line's quarter edited, and a
ledger extract uploaded, previewed and confirmed. All need a sign-in; changing needs the plan's
editors."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.budget.domain.actuals import PROFILE_RULE, Quarter, totals
from placeplan.budget.service import actuals
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan
from placeplan.returns.present import SPEND_HEADER, signed, spend_csv
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.differences import DIFFERENCE_COLUMNS, difference_rows
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


@router.get("/plans/{plan_id}/spend")
def spend_page(
    request: Request,
    plan_id: int,
    quarter: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    view = actuals.spend_view(session, asker.actor, plan_id, quarter)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-spend-{view.quarter.slug}.csv", SPEND_HEADER, spend_csv(view)
        )
    total = totals(s.position for s in view.lines)
    return render(
        request,
        "returns/spend.html",
        asker,
        plan=view.plan,
        view=view,
        total=total,
        quarters=Quarter(view.quarter.start_year, 4).earlier(),
        rule=PROFILE_RULE,
        signed=signed,
        can_edit=can_edit_plan(asker.actor, view.plan.area_id, view.plan.system_id),
    )


def _pence(text: str, field: str) -> int | None:
    cleaned = text.strip().replace(",", "").replace("£", "")
    if not cleaned:
        return None
    try:
        pence = Decimal(cleaned) * 100
    except InvalidOperation:
        raise InputError(
            f"Enter an amount in pounds, such as 1,250.00 (it is {text.strip()[:40]!r})",
            field=field,
        ) from None
    if pence != pence.to_integral_value():
        raise InputError("Enter an amount in pounds to the penny", field=field)
    return int(pence)


def _line_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    line_ref: str,
    quarter: str,
    status_code: int = 200,
    refused: Refused | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    view = actuals.spend_view(session, asker.actor, plan_id, quarter)
    found = next((s for s in view.lines if s.line.ref == line_ref), None)
    if found is None:
        raise NotFound(f"this budget has no expenditure line {line_ref}")
    row = found.spends.get(view.quarter.label)
    shown = typed or {
        "actual": "" if row is None else f"{Decimal(row.actual_pence) / 100:.2f}",
        "forecast": ""
        if row is None or row.forecast_pence is None
        else f"{Decimal(row.forecast_pence) / 100:.2f}",
        "commentary": (row.commentary or "") if row else "",
        "version": str(row.version) if row else "0",
    }
    return render(
        request,
        "returns/spend_line.html",
        asker,
        status_code=status_code,
        plan=view.plan,
        view=view,
        found=found,
        shown=shown,
        rule=PROFILE_RULE,
        **refusal(refused),
    )


@router.get("/plans/{plan_id}/spend/lines/{line_ref}/{quarter}")
def spend_line_page(
    request: Request,
    plan_id: int,
    line_ref: str,
    quarter: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    actuals.editable_plan(session, asker.actor, plan_id)
    return _line_page(request, session, asker, plan_id, line_ref, quarter)


@router.post("/plans/{plan_id}/spend/lines/{line_ref}/{quarter}")
def spend_line_save(
    request: Request,
    plan_id: int,
    line_ref: str,
    quarter: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "actual", "forecast", "commentary", "version")

    def write() -> object:
        values = {
            "actual_pence": _pence(typed["actual"], "actual_pence"),
            "forecast_pence": _pence(typed["forecast"], "forecast_pence"),
            "commentary": typed["commentary"],
        }
        return actuals.record_spend(
            session, asker.actor, plan_id, line_ref, quarter, values, required_version(form)
        )

    return save(
        session,
        write,
        then=f"/plans/{plan_id}/spend?quarter={quarter}",
        again=lambda refused, status: _line_page(
            request, session, asker, plan_id, line_ref, quarter, status, refused, typed
        ),
        notice=f"Spend of line {line_ref} saved",
    )


# ---- a ledger extract: upload, preview, confirm


@router.get("/plans/{plan_id}/spend/upload")
def ledger_form(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = actuals.editable_plan(session, asker.actor, plan_id)
    return render(request, "returns/ledger_upload.html", asker, plan=plan, problems=[])


def _refused_page(
    request: Request, session: Session, asker: Who, plan_id: int, refused: Refused
) -> Response:
    problems = getattr(refused, "problems", None) or [refused]
    return render(
        request,
        "returns/ledger_upload.html",
        asker,
        status_code=400,
        plan=actuals.editable_plan(session, asker.actor, plan_id),
        problems=problems,
    )


@router.post("/plans/{plan_id}/spend/upload")
def ledger_upload(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    upload = form.get("ledger")
    filename, content = ("", b"")
    if upload is not None and not isinstance(upload, str):
        filename, content = upload.filename or "", upload.file.read()
    return save(
        session,
        lambda: actuals.preview_ledger(session, asker.actor, plan_id, filename, content),
        then=lambda shown: f"/plans/{plan_id}/spend/upload/{shown.token}",
        again=lambda refused, _: _refused_page(request, session, asker, plan_id, refused),
        notice="",
    )


def _preview_page(
    request: Request, asker: Who, shown: actuals.LedgerPreview, status_code: int = 200
) -> Response:
    return render(
        request,
        "returns/ledger_preview.html",
        asker,
        status_code=status_code,
        plan=shown.plan,
        preview=shown,
        diff=shown.differences,
    )


@router.get("/plans/{plan_id}/spend/upload/{held}")
def ledger_preview(
    request: Request,
    plan_id: int,
    held: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    shown = actuals.held_ledger(session, asker.actor, plan_id, held)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-spend-changes.csv",
            DIFFERENCE_COLUMNS,
            difference_rows(shown.differences),
        )
    return _preview_page(request, asker, shown)


@router.post("/plans/{plan_id}/spend/confirm")
def ledger_confirm(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    token = str(form.get("token") or "")

    def again(refused: Refused, status: int) -> Response:
        if isinstance(refused, actuals.StaleLedger):
            return _preview_page(
                request, asker, actuals.held_ledger(session, asker.actor, plan_id, token), 409
            )
        return _refused_page(request, session, asker, plan_id, refused)

    return save(
        session,
        lambda: actuals.confirm_ledger(session, asker.actor, plan_id, token),
        then=f"/plans/{plan_id}/spend",
        again=again,
        notice=lambda applied: f"Ledger extract applied: {applied.summary()}",
    )
