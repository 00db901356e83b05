"""Pages for fitting a service's length of stay to observed stays: upload a CSV, see the lognormal
and gamma fits (parameters, goodness of fit, the CDF chart with its table, the table as CSV),
then pick one to become the service's length of stay in the model."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from placeplan.capacity.domain.fitting import KINDS, MIN_OBSERVATIONS, NAMES
from placeplan.capacity.io.stays import MAX_BYTES
from placeplan.capacity.present.fit_chart import (
    CSV_COLUMNS,
    TABLE_COLUMNS,
    cdf_svg,
    csv_rows,
    table_rows,
)
from placeplan.capacity.service.fitting import (
    StaysPreview,
    apply_fit,
    fitting_model,
    held_stays,
    preview_stays,
)
from placeplan.capacity.service.stored import validate
from placeplan.core.errors import Conflict, InputError
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, committed, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    preview: StaysPreview | None = None,
    status: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    chosen: str = "",
    service_id: str = "",
) -> Response:
    model = fitting_model(session, asker.actor, model_id)
    scenario = validate(model.scenario_yaml)
    return render(
        request,
        "capacity/stays.html",
        asker,
        status_code=status,
        model=model,
        plan=model.plan,
        services=[(s.id, s.label, s.length_of_stay.describe()) for s in scenario.services],
        preview=preview,
        chart=cdf_svg(preview.days, preview.fitted) if preview else None,
        columns=TABLE_COLUMNS,
        rows=table_rows(preview.days, preview.fitted) if preview else [],
        kinds=KINDS,
        names=NAMES,
        chosen=chosen or (preview.fitted.best if preview else ""),
        service_id=service_id or (preview.service_id if preview else ""),
        minimum=MIN_OBSERVATIONS,
        error=error,
        conflict=conflict,
    )


@router.get("/capacity/{model_id}/stays")
def stays_page(
    request: Request,
    model_id: int,
    service: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _page(request, session, asker, model_id, service_id=service)


@router.post("/capacity/{model_id}/stays")
def stays_upload(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Read and fit the stays and show both fits; nothing of the model is saved (the file is held
    for the confirmation)."""
    service_id = str(form.get("service") or "")
    upload = form.get("stays")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing = InputError("choose a CSV file of observed stays", field="stays")
        return _page(request, session, asker, model_id, None, 400, missing, service_id=service_id)
    content = upload.file.read(MAX_BYTES + 1)
    try:
        preview = committed(
            session,
            preview_stays(session, asker.actor, model_id, service_id, upload.filename, content),
        )
    except InputError as exc:
        session.rollback()
        return _page(request, session, asker, model_id, None, 400, exc, service_id=service_id)
    return _page(request, session, asker, model_id, preview)


@router.get("/capacity/{model_id}/stays/{service_id}/{stays_token}")
def stays_preview(
    request: Request,
    model_id: int,
    service_id: str,
    stays_token: str,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """The preview again, or its table (observed and fitted shares at evenly spaced days) as CSV."""
    preview = held_stays(session, asker.actor, model_id, service_id, stays_token)
    if format == "csv":
        return csv_response(
            f"capacity-model-{model_id}-stays-fitted.csv",
            CSV_COLUMNS,
            csv_rows(preview.days, preview.fitted),
        )
    return _page(request, session, asker, model_id, preview)


@router.post("/capacity/{model_id}/stays/{service_id}/{stays_token}")
def stays_confirm(
    request: Request,
    model_id: int,
    service_id: str,
    stays_token: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Make the chosen fit the service's length of stay, unless the model changed since the
    preview (409, the preview shown again with what changed)."""
    chosen = str(form.get("fit") or "")

    def again(error: Refused, status: int) -> Response:
        session.rollback()
        preview = held_stays(session, asker.actor, model_id, service_id, stays_token)
        return _page(
            request,
            session,
            asker,
            model_id,
            preview,
            status,
            error if isinstance(error, InputError) else None,
            error if isinstance(error, Conflict) else None,
            chosen,
        )

    def notice(done: StaysPreview) -> str:
        return (
            f"The length of stay of {done.service_name} is now {done.current},"
            f" fitted to the {done.fitted.observations} stays in {done.filename}"
        )

    return save(
        session,
        lambda: apply_fit(
            session,
            asker.actor,
            model_id,
            service_id,
            stays_token,
            chosen,
            required_version(form),
        ),
        then=f"/capacity/{model_id}",
        again=again,
        notice=notice,
    )
