"""The tracker workbook's pages: download it; upload it to see what it changes (nothing is saved
yet); confirm to save exactly those changes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from placeplan.core.errors import Conflict, InputError
from placeplan.delivery import service
from placeplan.delivery.io.write import tracker_bytes
from placeplan.io.xlsx_guard import MAX_FILE_BYTES
from placeplan.plans.models import Plan
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import Refused, committed, save
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


def problems_of(exc: InputError) -> list[dict[str, Any]]:
    """A refused workbook's problems for the page: every cell problem, or the one refusal (a
    problem with the file itself, or the preview, is put right by choosing the file again)."""
    if isinstance(exc, service.WorkbookProblems):
        return [vars(p) | {"href": None} for p in exc.problems]
    return [
        {
            "sheet": exc.sheet,
            "row": exc.row,
            "column": exc.field if exc.sheet else None,
            "message": exc.message,
            "href": None if exc.sheet else "tracker",
        }
    ]


def _import_page(
    request: Request,
    asker: Who,
    plan: Plan,
    status_code: int = 200,
    problems: list[dict[str, Any]] | None = None,
    conflict: Conflict | None = None,
    filename: str | None = None,
) -> Response:
    return render(
        request,
        "delivery/import.html",
        asker,
        status_code=status_code,
        plan=plan,
        problems=problems or [],
        conflict=conflict,
        filename=filename,
    )


def _preview_page(
    request: Request,
    asker: Who,
    plan: Plan,
    preview: service.TrackerPreview,
    status_code: int = 200,
    stale: Conflict | None = None,
) -> Response:
    return render(
        request,
        "delivery/import_preview.html",
        asker,
        status_code=status_code,
        plan=plan,
        preview=preview,
        stale=stale,
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
    """Read the uploaded workbook and show what it would change; nothing of the tracker is saved
    (the file is held for the confirmation)."""
    plan = _editable_plan(session, asker, plan_id)
    upload = form.get("tracker")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing = [{"message": "Choose a tracker workbook (.xlsx) to upload", "href": "tracker"}]
        return _import_page(request, asker, plan, 400, missing)
    filename, content = upload.filename, upload.file.read(MAX_FILE_BYTES + 1)
    try:
        preview = committed(
            session, service.hold_tracker(session, asker.actor, plan_id, filename, content)
        )
    except InputError as exc:
        session.rollback()
        return _import_page(request, asker, plan, 400, problems_of(exc), filename=filename)
    except Conflict as exc:
        session.rollback()
        return _import_page(request, asker, plan, 409, conflict=exc, filename=filename)
    return _preview_page(request, asker, plan, preview)


@router.post("/plans/{plan_id}/delivery/import/confirm", include_in_schema=False)
def import_confirm(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Save the previewed workbook's changes, unless the tracker changed since the preview (409,
    with the differences as they are now)."""
    plan = _editable_plan(session, asker, plan_id)
    token, base = str(form.get("token") or ""), str(form.get("base") or "") or None

    def again(exc: Refused, status: int) -> Response:
        if isinstance(exc, service.StalePreview) and exc.preview is not None:
            return _preview_page(request, asker, plan, exc.preview, status, stale=exc)
        if isinstance(exc, Conflict):
            return _import_page(request, asker, plan, status, conflict=exc)
        return _import_page(request, asker, plan, status, problems_of(exc))

    return save(
        session,
        lambda: service.confirm_tracker(session, asker.actor, plan_id, token, base),
        then=f"/plans/{plan_id}/delivery",
        again=again,
        notice=lambda done: f"Saved the tracker workbook {done.file}: {done.summary()}",
    )
