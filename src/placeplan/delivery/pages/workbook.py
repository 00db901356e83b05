"""The tracker workbook's pages: download it, and upload it (or check it, for a dry run)."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from placeplan.core.errors import Conflict
from placeplan.delivery import service
from placeplan.delivery.io.write import tracker_bytes
from placeplan.plans.models import Plan
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.templating import render

router = APIRouter()


def _editable_plan(session: Session, asker: Who, plan_id: int) -> Plan:
    return service.editable_plan(session, asker.actor, plan_id)


@router.get("/plans/{plan_id}/delivery/tracker.xlsx", tags=["delivery"])
def tracker_workbook(
    plan_id: int,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """The plan's delivery tracker as a workbook (signed in only), with one period's updates:
    the latest period with updates unless `period` is given."""
    tracker = service.tracker_export(session, asker.actor, plan_id, period or None)
    name = f"plan-{plan_id}-delivery-tracker-{tracker.period.label.replace(' ', '-')}.xlsx"
    return download(tracker_bytes(tracker), XLSX, name)


def _import_page(
    request: Request,
    asker: Who,
    plan: Plan,
    status_code: int = 200,
    problems: list[dict[str, Any]] | None = None,
    conflict: Conflict | None = None,
    filename: str | None = None,
    summary: dict[str, Any] | None = None,
    dry_run: bool = False,
) -> Response:
    return render(
        request,
        "delivery/import_result.html" if summary is not None else "delivery/import.html",
        asker,
        status_code=status_code,
        plan=plan,
        problems=problems or [],
        conflict=conflict,
        filename=filename,
        summary=summary,
        dry_run=dry_run,
    )


@router.get("/plans/{plan_id}/delivery/import", include_in_schema=False)
def import_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _import_page(request, asker, _editable_plan(session, asker, plan_id))


@router.post("/plans/{plan_id}/delivery/import", include_in_schema=False)
def import_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = _editable_plan(session, asker, plan_id)
    upload = form.get("tracker")
    dry_run = str(form.get("dry_run") or "") == "1"
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing: list[dict[str, Any]] = [
            {"message": "Choose a tracker workbook (.xlsx) to upload", "href": "tracker"}
        ]
        return _import_page(request, asker, plan, 400, missing)
    filename = upload.filename
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as temp:
        shutil.copyfileobj(upload.file, temp)
        temp.flush()
        done = service.import_upload(session, asker.actor, temp.name, filename, plan_id, dry_run)
    if done.problems or done.conflict:
        plan = _editable_plan(session, asker, plan_id)
        return _import_page(
            request,
            asker,
            plan,
            409 if done.conflict else 400,
            done.problems,
            done.conflict,
            filename,
        )
    return _import_page(
        request, asker, plan, summary=done.summary, filename=filename, dry_run=dry_run
    )
