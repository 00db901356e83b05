"""HTML pages of a plan's budget, its schemes and their KLOE reviews, and the planning workbook's
download and upload."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.areas.service import get_system
from placeplan.budget import present, service
from placeplan.budget.domain import catalogue as cat
from placeplan.core.errors import InputError
from placeplan.core.periods import FinancialYear
from placeplan.plans.service import get_plan
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.differences import DIFFERENCE_COLUMNS, difference_rows
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/plans/{plan_id}/budget", include_in_schema=False)
def budget_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    budget = service.view(session, asker.actor, plan_id)
    params = {k: v for k, v in request.query_params.items() if v}
    lines = present.filtered_lines(budget.document.lines, params)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-expenditure.csv",
            present.LINE_COLUMNS,
            present.line_rows(lines, budget.names),
        )
    previous, changes = service.changes_since_previous(session, budget.plan, budget.document)
    shown, page, pages = present.page_of(lines, params)
    return render(
        request,
        "budget/plan.html",
        asker,
        budget=budget,
        plan=budget.plan,
        params=params,
        labels=present.LABELS,
        lines=shown,
        line_count=len(lines),
        page=page,
        pages=pages,
        filters={k: v for k, v in params.items() if k != "page"},
        scheme_ids=budget.scheme_ids,
        previous=previous,
        changes=changes,
        reviews=budget.reviews,
        can_edit=service.can_edit_budget(asker.actor, budget.plan),
        category_chart=present.bars(budget.summary.categories, "Spend by category"),
        source_chart=present.bars(budget.summary.by_source, "Spend by funding source"),
        catalogue=cat,
        stated_name=present.stated_name,
    )


@router.get("/schemes/{scheme_id}", response_class=HTMLResponse, include_in_schema=False)
def scheme_page(
    request: Request, scheme_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _scheme_page(request, session, asker, scheme_id)


def _scheme_page(
    request: Request,
    session: Session,
    asker: Who,
    scheme_id: int,
    status_code: int = 200,
    refused: Refused | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    shown = service.scheme_view(session, asker.actor, scheme_id)
    return render(
        request,
        "budget/scheme.html",
        asker,
        status_code=status_code,
        scheme=shown.scheme,
        plan=shown.plan,
        labels=present.LABELS,
        catalogue=cat,
        can_edit=shown.can_edit,
        can_review=shown.can_review,
        kloe_parts=service.KLOE_PARTS,
        ratings=service.KLOE_RATINGS,
        recommendations=service.RECOMMENDATIONS,
        **refusal(refused),
        typed=typed or {},
        today=date.today(),
    )


def _pence(form: FormData, name: str) -> int:
    text = str(form.get(name) or "").replace(",", "").replace("£", "").strip()
    try:
        pounds = Decimal(text)
    except InvalidOperation as exc:
        raise InputError(
            f"'{text}' is not an amount in pounds, e.g. 125000.00", field=name
        ) from exc
    if pounds != pounds.quantize(Decimal("0.01")):
        raise InputError("amounts are in pounds and pence: at most two decimal places", field=name)
    return int(pounds * 100)


@router.post("/lines/{line_id}", include_in_schema=False)
def line_submit(
    request: Request,
    line_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    scheme_id = service.scheme_id_of_line(session, line_id)
    typed = {**form_text(form, "amount", "new"), "line": str(line_id)}
    return save(
        session,
        lambda: service.update_line(
            session,
            asker.actor,
            line_id,
            required_version(form),
            {"amount_pence": _pence(form, "amount"), "new_pence": _pence(form, "new")},
        ),
        then=lambda line: f"/schemes/{scheme_id}#line-{line.ref}",  # back to the line saved
        notice=lambda line: f"Line {line.ref} saved",
        again=lambda refused, status: _scheme_page(
            request, session, asker, scheme_id, status, refused, typed
        ),
    )


def _reviewed_on(form: FormData) -> date:
    day = str(form.get("reviewed_on") or "")
    try:
        return date.fromisoformat(day)
    except ValueError as exc:
        raise InputError(
            f"'{day}' is not a date: expected e.g. 2025-02-10", field="reviewed_on"
        ) from exc


@router.post("/schemes/{scheme_id}/reviews", include_in_schema=False)
def review_submit(
    request: Request,
    scheme_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    parts = {
        part: {
            "rating": str(form.get(f"{part}-rating") or ""),
            "comment": str(form.get(f"{part}-comment") or ""),
        }
        for part in service.KLOE_PARTS
    }
    return save(
        session,
        lambda: service.add_review(
            session,
            asker.actor,
            scheme_id,
            _reviewed_on(form),
            parts,
            str(form.get("recommendation") or ""),
            body_key=str(form.get("body") or "") or None,
            summary=str(form.get("summary") or "") or None,
        ),
        then=f"/schemes/{scheme_id}#reviews",
        again=lambda refused, status: _scheme_page(
            request, session, asker, scheme_id, status, refused
        ),
    )


@router.get("/systems/{code}/budget", include_in_schema=False)
def system_budget_page(
    request: Request,
    code: str,
    year: int = 2025,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    system = get_system(session, code)
    plans, summary = service.system_summary(session, asker.actor, system.id, year)
    return render(
        request,
        "budget/system.html",
        asker,
        system=system,
        year=year,
        plans=plans,
        summary=summary,
        category_chart=present.bars(summary.categories, "Spend by category"),
    )


# The workbook's download is described in the API's schema (as it was), though it is a file.
@router.get("/plans/{plan_id}/budget.xlsx", tags=["budget"])
def budget_workbook(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    """The plan's budget as the BCF planning workbook."""
    workbook = service.export_workbook(session, asker.actor, plan_id)
    return download(workbook.content, XLSX, workbook.filename)


def _not_applied(
    request: Request, session: Session, asker: Who, plan_id: int, refused: Refused, filename: str
) -> Response:
    """The upload page listing why a workbook was not applied (nothing was written)."""
    problems = getattr(refused, "problems", None) or [refused]
    return render(
        request,
        "budget/upload.html",
        asker,
        status_code=400,
        plan=get_plan(session, asker.actor, plan_id),
        problems=problems,
        filename=filename,
    )


def _preview_page(
    request: Request, asker: Who, shown: service.Preview, status_code: int = 200
) -> Response:
    return render(
        request,
        "budget/preview.html",
        asker,
        status_code=status_code,
        plan=shown.plan,
        preview=shown,
        sections=[s for s in shown.differences.sections if s.changes],
    )


@router.post("/plans/{plan_id}/budget/upload", include_in_schema=False)
def budget_upload(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Read and check an uploaded workbook, hold it, and show what it would change."""
    upload = form.get("workbook")
    filename, content = ("", b"")
    if upload is not None and not isinstance(upload, str):
        filename, content = upload.filename or "", upload.file.read()
    return save(
        session,
        lambda: service.preview_workbook(session, asker.actor, plan_id, filename, content),
        then=lambda shown: f"/plans/{plan_id}/budget/upload/{shown.token}",
        again=lambda refused, _: _not_applied(request, session, asker, plan_id, refused, filename),
        notice="",
    )


@router.get("/plans/{plan_id}/budget/upload/{token}", include_in_schema=False)
def budget_preview(
    request: Request,
    plan_id: int,
    token: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """What a held workbook would change, with its checks, to confirm or cancel."""
    shown = service.held_preview(session, asker.actor, plan_id, token)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-workbook-changes.csv",
            DIFFERENCE_COLUMNS,
            difference_rows(shown.differences),
        )
    return _preview_page(request, asker, shown)


@router.post("/plans/{plan_id}/budget/upload/{token}/again", include_in_schema=False)
def budget_preview_again(
    request: Request,
    plan_id: int,
    token: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """A stale preview made again against the budget as it is now."""
    return save(
        session,
        lambda: service.preview_again(session, asker.actor, plan_id, token),
        then=lambda shown: f"/plans/{plan_id}/budget/upload/{shown.token}",
        again=lambda refused, _: _not_applied(request, session, asker, plan_id, refused, ""),
        notice="",
    )


@router.post("/plans/{plan_id}/budget/confirm", include_in_schema=False)
def budget_confirm(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Apply a previewed workbook; a preview the budget has moved on from is shown again (409)
    with what it would change now, and nothing is written."""
    token = str(form.get("token") or "")

    def again(refused: Refused, status: int) -> Response:
        if isinstance(refused, service.StalePreview):
            return _preview_page(
                request, asker, service.held_preview(session, asker.actor, plan_id, token), 409
            )
        return _not_applied(request, session, asker, plan_id, refused, "")

    return save(
        session,
        lambda: service.confirm_workbook(session, asker.actor, plan_id, token),
        then=f"/plans/{plan_id}/budget",
        again=again,
        notice=lambda applied: f"Planning workbook applied: {applied.summary()}",
    )


# ---- a submitted version of the plan as the workbook it was ----------------------------------


@router.get("/plans/{plan_id}/snapshots/{number}/workbook.xlsx", include_in_schema=False)
def snapshot_workbook(
    plan_id: int, number: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    """Version `number` of the plan (its snapshot) as the BCF planning workbook it was."""
    workbook = service.snapshot_workbook_file(session, asker.actor, plan_id, number)
    return download(workbook.content, XLSX, workbook.filename)


def _minimum_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    status_code: int = 200,
    refused: Refused | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    minimum, offered = service.minimum_and_offered(session, asker.actor, plan_id)
    return render(
        request,
        "budget/nhs_minimum.html",
        asker,
        status_code=status_code,
        plan=minimum.plan,
        minimum=minimum,
        offered=offered,
        year=FinancialYear(minimum.plan.period_start).label,
        typed=typed or {},
        **refusal(refused),
    )


@router.get("/plans/{plan_id}/budget/nhs-minimum", include_in_schema=False)
def nhs_minimum_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _minimum_page(request, session, asker, plan_id)


@router.post("/plans/{plan_id}/budget/nhs-minimum/preview", include_in_schema=False)
def nhs_minimum_preview(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "model")
    try:
        preview = service.preview_uplift(session, asker.actor, plan_id, typed["model"])
    except InputError as exc:  # nothing was written: the form again, with the field named
        return _minimum_page(request, session, asker, plan_id, 400, exc, typed)
    return render(
        request,
        "budget/nhs_minimum_preview.html",
        asker,
        plan=preview.minimum.plan,
        preview=preview,
    )


@router.post("/plans/{plan_id}/budget/nhs-minimum", include_in_schema=False)
def nhs_minimum_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "model")
    return save(
        session,
        lambda: service.take_uplift(
            session, asker.actor, plan_id, typed["model"], required_version(form)
        ),
        then=f"/plans/{plan_id}/budget/nhs-minimum",
        notice="Uplift taken from the financial model",
        again=lambda refused, status: _minimum_page(
            request, session, asker, plan_id, status, refused, typed
        ),
    )
