"""Pages and API for a plan's budget, its schemes and their KLOE reviews."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.areas.service import get_system
from placeplan.budget import catalogue as cat
from placeplan.budget import service
from placeplan.budget.core import ExpenditureLine
from placeplan.budget.document import document_from_mapping
from placeplan.budget.models import ExpenditureLineRow
from placeplan.budget.summary import Share
from placeplan.core.errors import Conflict, InputError
from placeplan.core.money import format_pence
from placeplan.core.permissions import can_edit_plan, require
from placeplan.plans.service import get_plan
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.forms import form_version
from placeplan.web.templating import csv_response, render

router = APIRouter()

SORTABLE = {
    "line": "line_id",
    "scheme": "scheme_name",
    "type": "scheme_type",
    "source": "funding_source",
    "amount": "amount_pence",
    "new": "new_pence",
    "category": "category",
}
LABELS = {
    "category": cat.CATEGORIES,
    "scheme_type": cat.SCHEME_TYPES,
    "funding_source": cat.FUNDING_SOURCES,
    "provider": cat.PROVIDERS,
    "area_of_spend": cat.AREAS_OF_SPEND,
    "commissioner": cat.COMMISSIONERS,
}


def bars(shares: list[Share], title: str) -> dict[str, Any]:
    """What the SVG bar chart needs: widths as percentages of the largest bar."""
    largest = max((s.total_pence for s in shares), default=0) or 1
    return {
        "title": title,
        "rows": [
            {
                "label": s.label,
                "value": format_pence(s.total_pence, whole_pounds=True),
                "width": round(100 * s.total_pence / largest, 2),
                "share": f"{s.share * 100:.1f}%",
            }
            for s in shares
        ],
    }


def _filtered(lines: tuple[ExpenditureLine, ...], params: dict[str, str]) -> list[ExpenditureLine]:
    chosen = list(lines)
    for key in ("category", "scheme_type", "funding_source"):
        if params.get(key):
            chosen = [line for line in chosen if getattr(line, key) == params[key]]
    sort = SORTABLE.get(params.get("sort", ""), "line_id")
    reverse = params.get("order") == "desc"
    chosen.sort(key=lambda line: getattr(line, sort) or "", reverse=reverse)
    return chosen


LINES_PER_PAGE = 100  # a 750-line budget stays quick to serve and to read; CSV has them all

LINE_COLUMNS = [
    "line_id",
    "scheme_id",
    "scheme_name",
    "scheme_type",
    "sub_type",
    "category",
    "funding_source",
    "amount_pence",
    "new_pence",
    "area_of_spend",
    "commissioner",
    "nhs_share",
    "provider",
    "district",
    "planned_outputs",
    "output_unit",
    "illustrative",
]


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
    lines = _filtered(budget.document.lines, params)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-expenditure.csv",
            LINE_COLUMNS,
            [[getattr(line, c) for c in LINE_COLUMNS] for line in lines],
        )
    previous, changes = service.changes_since_previous(session, budget.plan, budget.document)
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    page = min(
        max(1, int(params.get("page", "1")) if params.get("page", "1").isdigit() else 1), pages
    )
    return render(
        request,
        "budget.html",
        asker,
        budget=budget,
        plan=budget.plan,
        params=params,
        labels=LABELS,
        lines=lines[(page - 1) * LINES_PER_PAGE : page * LINES_PER_PAGE],
        line_count=len(lines),
        page=page,
        pages=pages,
        filters={k: v for k, v in params.items() if k != "page"},
        scheme_ids=budget.scheme_ids,
        previous=previous,
        changes=changes,
        reviews=budget.reviews,
        can_edit=can_edit_plan(asker.actor, budget.plan.area_id, budget.plan.system_id),
        category_chart=bars(budget.summary.categories, "Spend by category"),
        source_chart=bars(budget.summary.by_source, "Spend by funding source"),
        catalogue=cat,
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
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    scheme = service.get_scheme(session, asker.actor, scheme_id)
    plan = scheme.plan
    return render(
        request,
        "scheme.html",
        asker,
        status_code=status_code,
        scheme=scheme,
        plan=plan,
        labels=LABELS,
        catalogue=cat,
        can_edit=can_edit_plan(asker.actor, plan.area_id, plan.system_id)
        and plan.status == "draft",
        can_review=can_edit_plan(asker.actor, plan.area_id, plan.system_id),
        kloe_parts=service.KLOE_PARTS,
        ratings=service.KLOE_RATINGS,
        recommendations=service.RECOMMENDATIONS,
        error=error,
        conflict=conflict,
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
    row = session.get(ExpenditureLineRow, line_id)
    scheme_id = row.scheme_id if row else 0
    typed = {k: str(form.get(k) or "") for k in ("amount", "new")}
    try:
        service.update_line(
            session,
            asker.actor,
            line_id,
            form_version(form),
            {"amount_pence": _pence(form, "amount"), "new_pence": _pence(form, "new")},
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        if isinstance(exc, Conflict):
            return _scheme_page(
                request,
                session,
                asker,
                scheme_id,
                409,
                conflict=exc,
                typed={**typed, "line": str(line_id)},
            )
        return _scheme_page(
            request,
            session,
            asker,
            scheme_id,
            400,
            error=exc,
            typed={**typed, "line": str(line_id)},
        )
    return RedirectResponse(f"/schemes/{scheme_id}", status_code=303)


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
    try:
        day = str(form.get("reviewed_on") or "")
        try:
            reviewed_on = date.fromisoformat(day)
        except ValueError as exc:
            raise InputError(
                f"'{day}' is not a date: expected e.g. 2025-02-10", field="reviewed_on"
            ) from exc
        service.add_review(
            session,
            asker.actor,
            scheme_id,
            reviewed_on,
            parts,
            str(form.get("recommendation") or ""),
            body_key=str(form.get("body") or "") or None,
            summary=str(form.get("summary") or "") or None,
        )
        commit(session)
    except InputError as exc:
        session.rollback()
        return _scheme_page(request, session, asker, scheme_id, 400, error=exc)
    return RedirectResponse(f"/schemes/{scheme_id}#reviews", status_code=303)


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
        "system_budget.html",
        asker,
        system=system,
        year=year,
        plans=plans,
        summary=summary,
        category_chart=bars(summary.categories, "Spend by category"),
    )


# ---- JSON API ---------------------------------------------------------------------------------


def _line_json(line: ExpenditureLine) -> dict[str, Any]:
    body = asdict(line)
    for key in ("nhs_share", "planned_outputs"):
        body[key] = str(body[key]) if body[key] is not None else None
    return body


@router.get("/api/v1/plans/{plan_id}/budget", tags=["budget"])
def api_budget(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    budget = service.view(session, asker.actor, plan_id)
    return {
        "plan_id": plan_id,
        "year": budget.document.year,
        "summary": budget.summary.as_json(),
        "findings": [asdict(f) for f in budget.findings],
        "schemes": [
            {
                **asdict(s),
                "start_date": s.start_date and s.start_date.isoformat(),
                "end_date": s.end_date and s.end_date.isoformat(),
            }
            for s in budget.document.schemes
        ],
        "lines": [_line_json(line) for line in budget.document.lines],
        "income": [asdict(i) for i in budget.document.income],
        "stated": [
            {
                "what": f.what,
                "text": f.text,
                "computed": c.shown_as if c else None,
                "agrees": c.agrees if c else None,
            }
            for f, c in budget.stated
        ],
    }


@router.get("/api/v1/plans/{plan_id}/budget/summary", tags=["budget"])
def api_budget_summary(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return service.view(session, asker.actor, plan_id).summary.as_json()


class BudgetIn(BaseModel):
    document: dict[str, Any]


@router.put("/api/v1/plans/{plan_id}/budget", tags=["budget"])
def api_load_budget(
    plan_id: int,
    body: BudgetIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    warnings = service.load_document(
        session, asker.actor, plan_id, document_from_mapping(body.document)
    )
    commit(session)
    return {"plan_id": plan_id, "warnings": [asdict(w) for w in warnings]}


class LineChange(BaseModel):
    version: int
    amount_pence: int | None = None
    new_pence: int | None = None
    provider: str | None = None
    note: str | None = None


@router.patch("/api/v1/lines/{line_id}", tags=["budget"])
def api_update_line(
    line_id: int,
    body: LineChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    row = service.update_line(session, asker.actor, line_id, body.version, changes)
    commit(session)
    return {
        "id": row.id,
        "ref": row.ref,
        "amount_pence": row.amount_pence,
        "new_pence": row.new_pence,
        "version": row.version,
    }


@router.get("/api/v1/schemes/{scheme_id}", tags=["budget"])
def api_scheme(
    scheme_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    scheme = service.get_scheme(session, asker.actor, scheme_id)
    return {
        "id": scheme.id,
        "ref": scheme.ref,
        "name": scheme.name,
        "scheme_type": scheme.scheme_type,
        "category": scheme.category,
        "metrics": scheme.metrics,
        "priorities": scheme.priorities,
        "lines": [
            {
                "id": r.id,
                "ref": r.ref,
                "amount_pence": r.amount_pence,
                "new_pence": r.new_pence,
                "funding_source": r.funding_source,
                "version": r.version,
            }
            for r in scheme.lines
        ],
        "reviews": [
            {
                "id": r.id,
                "reviewed_on": r.reviewed_on.isoformat(),
                "reviewer": r.reviewer,
                "recommendation": r.recommendation,
                "parts": r.parts,
            }
            for r in scheme.reviews
        ],
        "version": scheme.version,
    }


class ReviewIn(BaseModel):
    reviewed_on: date
    parts: dict[str, dict[str, str]]
    recommendation: str
    body: str | None = None
    summary: str | None = None


@router.post("/api/v1/schemes/{scheme_id}/reviews", status_code=201, tags=["budget"])
def api_add_review(
    scheme_id: int,
    body: ReviewIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    review = service.add_review(
        session,
        asker.actor,
        scheme_id,
        body.reviewed_on,
        body.parts,
        body.recommendation,
        body.body,
        body.summary,
    )
    commit(session)
    return {"id": review.id, "recommendation": review.recommendation}


# ---- the planning workbook ----------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/plans/{plan_id}/budget.xlsx", tags=["budget"])
def budget_workbook(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    """The plan's budget as the BCF planning workbook."""
    import io

    from placeplan.io.bcf_import import plan_meta
    from placeplan.io.bcf_workbook import write_workbook

    budget = service.view(session, asker.actor, plan_id)
    if budget.plan.kind != "bcf_plan":
        raise InputError(f"plan {plan_id} is not a BCF plan", field="plan")
    stream = io.BytesIO()
    write_workbook(stream, plan_meta(budget.plan), budget.document, budget.findings)
    name = f"{(budget.plan.area.gss_code if budget.plan.area else 'system')}-bcf-{budget.document.year}.xlsx"
    return Response(
        stream.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/plans/{plan_id}/budget/upload", include_in_schema=False)
def budget_upload(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    import shutil
    import tempfile

    from placeplan.io.bcf_import import import_parsed
    from placeplan.io.bcf_read import read_parsed

    plan = get_plan(session, asker.actor, plan_id)
    require(can_edit_plan(asker.actor, plan.area_id, plan.system_id), "change this plan's budget")
    upload = form.get("workbook")
    problems: list[dict[str, Any]] = []
    if upload is None or isinstance(upload, str) or not upload.filename:
        problems.append(
            {
                "sheet": None,
                "row": None,
                "column": None,
                "message": "Choose a workbook (.xlsx) to upload",
            }
        )
    else:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as temp:
            shutil.copyfileobj(upload.file, temp)
            temp.flush()
            try:
                parsed = read_parsed(temp.name)
                if parsed.problems:
                    problems = [vars(p) for p in parsed.problems]
                else:
                    import_parsed(session, asker.actor, parsed, plan_id)
                    commit(session)
            except InputError as exc:
                session.rollback()
                problems.append(
                    {
                        "sheet": exc.sheet,
                        "row": exc.row,
                        "column": exc.field,
                        "message": exc.message.replace(temp.name, upload.filename),
                    }
                )
    if problems:
        return render(
            request,
            "budget_upload.html",
            asker,
            status_code=400,
            plan=plan,
            problems=problems,
            filename=getattr(upload, "filename", None),
        )
    return RedirectResponse(f"/plans/{plan_id}/budget", status_code=303)
