"""Pages of a plan's need-weighted allocations: the allocation with its shares, path and chart;
its form (new and edit); an uploaded need index, previewed before it is applied."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.finance import service
from placeplan.finance.domain.allocation_form import form_from_document
from placeplan.finance.domain.model import year_label
from placeplan.finance.io.allocation_xlsx import allocation_bytes
from placeplan.finance.io.need_index import EXAMPLE
from placeplan.finance.present.allocation import (
    AREA_COLUMNS,
    INDEX_COLUMNS,
    area_rows,
    component_numbers,
    index_rows,
    path_columns,
    path_rows,
    shares_svg,
)
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import (
    Refused,
    form_version,
    refusal,
    required_version,
    save,
    version_again,
)
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


@router.get("/finance/allocations/{allocation_id}")
def allocation_page(
    request: Request,
    allocation_id: int,
    format: str | None = None,
    table: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    seen = service.get_allocation(session, asker.actor, allocation_id)
    if format == "xlsx":
        content = allocation_bytes(seen.record.name, seen.allocation, seen.areas)
        return download(content, XLSX, f"allocation-{allocation_id}.xlsx")
    if format == "csv":
        if table == "path":
            return csv_response(
                f"allocation-{allocation_id}-path.csv", path_columns(seen), path_rows(seen)
            )
        return csv_response(f"allocation-{allocation_id}.csv", AREA_COLUMNS, area_rows(seen))
    return render(
        request,
        "finance/allocation.html",
        asker,
        record=seen.record,
        plan=seen.record.plan,
        seen=seen,
        area_columns=AREA_COLUMNS,
        areas=area_rows(seen),
        path_columns=path_columns(seen),
        paths=path_rows(seen),
        chart=shares_svg(seen),
        can_edit=service.can_edit(asker.actor, seen.record.plan),
    )


def _typed(form: FormData) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k not in ("csrf_token", "version", "index_file")}


def _form_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int | None,
    allocation_id: int | None,
    status_code: int = 200,
    refused: Refused | None = None,
    typed: dict[str, str] | None = None,
    started: int | None = None,
    upload: dict[str, str] | None = None,
) -> Response:
    record = None
    if allocation_id is not None:
        record = service.editable_allocation(session, asker.actor, allocation_id)
        plan = record.plan
    else:
        assert plan_id is not None
        plan = service.plan_for_allocation(session, asker.actor, plan_id)
    if typed is not None:
        values = typed
    elif record is not None:
        values = {"name": record.name, **form_from_document(record.document)}
    else:
        values = {}
    values = {**values, **(upload or {})}  # what was typed beside a refused need index
    version = None
    if record is not None:
        version = (
            record.version if refused is None else version_again(refused, started, record.version)
        )
    return render(
        request,
        "finance/allocation_form.html",
        asker,
        status_code=status_code,
        plan=plan,
        record=record,
        values=values,
        components=component_numbers(values),
        version=version,
        example=EXAMPLE,
        period=f"{year_label(plan.period_start)} to {year_label(plan.period_end)}",
        **refusal(refused),
    )


@router.get("/plans/{plan_id}/finance/allocations/new")
def allocation_new(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _form_page(request, session, asker, plan_id, None)


@router.post("/plans/{plan_id}/finance/allocations/new")
def allocation_create(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = _typed(form)
    return save(
        session,
        lambda: service.save_allocation(session, asker.actor, plan_id, None, None, typed),
        then=lambda made: f"/finance/allocations/{made.id}",
        notice="Allocation made",
        again=lambda refused, status: _form_page(
            request, session, asker, plan_id, None, status, refused, typed
        ),
    )


@router.get("/finance/allocations/{allocation_id}/edit")
def allocation_edit(
    request: Request,
    allocation_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _form_page(request, session, asker, None, allocation_id)


@router.post("/finance/allocations/{allocation_id}/edit")
def allocation_save(
    request: Request,
    allocation_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = _typed(form)
    started = form_version(form)
    return save(
        session,
        lambda: service.save_allocation(
            session, asker.actor, None, allocation_id, required_version(form), typed
        ),
        then=f"/finance/allocations/{allocation_id}",
        again=lambda refused, status: _form_page(
            request, session, asker, None, allocation_id, status, refused, typed, started
        ),
    )


@router.post("/finance/allocations/{allocation_id}/need-index")
def need_index_upload(
    request: Request,
    allocation_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Read and check an uploaded need index, hold it, and show what it would change."""
    upload = form.get("index_file")
    filename, content = ("", b"")
    if upload is not None and not isinstance(upload, str):
        filename, content = upload.filename or "", upload.file.read()
    typed = _typed(form)
    return save(
        session,
        lambda: service.preview_need_index(
            session, asker.actor, allocation_id, filename, content, typed
        ),
        then=lambda shown: f"/finance/allocations/{allocation_id}/need-index/{shown.token}",
        notice="",
        again=lambda refused, status: _form_page(
            request,
            session,
            asker,
            None,
            allocation_id,
            status,
            refused,
            upload={k: v for k, v in typed.items() if k.startswith("index_")},
        ),
    )


@router.get("/finance/allocations/{allocation_id}/need-index/{index_token}")
def need_index_preview(
    request: Request,
    allocation_id: int,
    index_token: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    shown = service.held_index_preview(session, asker.actor, allocation_id, index_token)
    if format == "csv":
        return csv_response(
            f"allocation-{allocation_id}-need-index.csv", INDEX_COLUMNS, index_rows(shown)
        )
    return render(
        request,
        "finance/need_index_preview.html",
        asker,
        plan=shown.record.plan,
        record=shown.record,
        preview=shown,
        columns=INDEX_COLUMNS,
        rows=index_rows(shown),
    )


@router.post("/finance/allocations/{allocation_id}/need-index/{index_token}")
def need_index_apply(
    request: Request,
    allocation_id: int,
    index_token: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    def again(refused: Refused, status: int) -> Response:
        shown = service.held_index_preview(session, asker.actor, allocation_id, index_token)
        return render(
            request,
            "finance/need_index_preview.html",
            asker,
            status_code=status,
            plan=shown.record.plan,
            record=shown.record,
            preview=shown,
            columns=INDEX_COLUMNS,
            rows=index_rows(shown),
            **refusal(refused),
        )

    return save(
        session,
        lambda: service.apply_need_index(session, asker.actor, allocation_id, index_token),
        then=f"/finance/allocations/{allocation_id}",
        notice="Need index applied",
        again=again,
    )
