"""Batch collection: a regional team uploads a zip of planning workbooks and reads (and
downloads) one report row per workbook."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.assurance import present
from placeplan.assurance.service import batch as batches
from placeplan.assurance.service.records import require_assurer
from placeplan.core.errors import InputError
from placeplan.pledges.domain.table import Table
from placeplan.pledges.io import xlsx
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import Refused, save
from placeplan.web.templating import csv_response, render

router = APIRouter()


def _form(
    request: Request, asker: Who, error: InputError | None = None, status: int = 200
) -> Response:
    return render(request, "assurance/batch.html", asker, status_code=status, error=error)


@router.get("/assurance/batch", include_in_schema=False)
def batch_form(request: Request, asker: Who = Depends(who)) -> Response:
    require_assurer(asker.actor)
    return _form(request, asker)


@router.post("/assurance/batch", include_in_schema=False)
def batch_upload(
    request: Request,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    upload = form.get("batch")
    filename, content = "", b""
    if upload is not None and not isinstance(upload, str):
        filename, content = upload.filename or "batch.zip", upload.file.read()

    def again(refused: Refused, status: int) -> Response:
        return _form(request, asker, refused if isinstance(refused, InputError) else None, status)

    return save(
        session,
        lambda: batches.upload_batch(session, asker.actor, filename, content),
        then=lambda found: f"/assurance/batch/{found.token}",
        again=again,
        notice="",
    )


@router.get("/assurance/batch/{token}", include_in_schema=False)
def batch_report(
    request: Request,
    token: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = batches.held_batch(session, asker.actor, token)
    rows: list[list[Any]] = present.batch_rows(found)
    if format == "csv":
        return csv_response("batch-report.csv", present.BATCH_HEADER, rows)
    if format == "xlsx":
        table = Table(f"Batch report: {found.filename}", "Batch", present.BATCH_HEADER, rows)
        return download(xlsx.table_bytes(table), XLSX, "batch-report.xlsx")
    return render(request, "assurance/batch_report.html", asker, batch=found, rows=rows)
