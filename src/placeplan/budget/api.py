"""The budget's JSON API under /api/v1: a plan's budget and summary, replacing a budget (at once,
for scripts), a planning workbook's upload previewed then confirmed, changing a line, a scheme and
its KLOE reviews; the NHS minimum contribution and its uplift taken from a financial model."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from placeplan.budget import present, service
from placeplan.budget.domain.document import document_from_mapping
from placeplan.budget.present.minimum import (
    MinimumOut,
    UpliftChange,
    UpliftIn,
    UpliftPreviewOut,
    minimum_json,
    uplift_preview_json,
)
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


@router.get("/api/v1/plans/{plan_id}/budget", tags=["budget"], response_model=present.BudgetOut)
def api_budget(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    answer = present.budget_json(plan_id, service.view(session, asker.actor, plan_id))
    return {**answer, "revision": service.revision(session, plan_id)}


@router.get(
    "/api/v1/plans/{plan_id}/budget/summary", tags=["budget"], response_model=present.SummaryOut
)
def api_budget_summary(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return present.summary_json(service.view(session, asker.actor, plan_id).summary)


@router.put("/api/v1/plans/{plan_id}/budget", tags=["budget"], response_model=present.BudgetLoaded)
def api_load_budget(
    plan_id: int,
    body: present.BudgetIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    document = document_from_mapping(body.document)
    warnings = committed(
        session,
        service.load_document(session, asker.actor, plan_id, document, based_on=body.revision),
    )
    return {"plan_id": plan_id, "warnings": present.findings_json(warnings)}


@router.post(
    "/api/v1/plans/{plan_id}/budget/workbook/preview",
    tags=["budget"],
    response_model=present.WorkbookPreviewOut,
)
def api_preview_workbook(
    plan_id: int,
    file: Annotated[UploadFile | None, File()] = None,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Read and check a planning workbook (multipart field `file`) against the plan's budget and
    hold it: the differences it would make and the checks, and the `token` that confirms it.
    Nothing is written to the plan."""
    content = file.file.read() if file is not None else b""
    filename = (file.filename if file is not None else None) or ""
    return committed(
        session,
        service.preview_workbook(session, asker.actor, plan_id, filename, content).as_json(),
    )


@router.post(
    "/api/v1/plans/{plan_id}/budget/workbook/confirm",
    tags=["budget"],
    response_model=present.WorkbookAppliedOut,
    responses={409: {"description": "The budget changed since the preview: nothing written"}},
)
def api_confirm_workbook(
    plan_id: int,
    body: present.WorkbookConfirmIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any] | Response:
    """Apply the previewed workbook `token` names; the differences applied. If the budget changed
    since the preview: 409, nothing written, with the differences it would make now."""
    try:
        applied = service.confirm_workbook(session, asker.actor, plan_id, body.token)
    except service.StalePreview as stale:
        error = {"message": stale.message, "differences": stale.differences.as_json()}
        return JSONResponse({"error": error}, status_code=409)
    return {"plan_id": plan_id, "differences": committed(session, applied).as_json()}


@router.patch("/api/v1/lines/{line_id}", tags=["budget"], response_model=present.LineSaved)
def api_update_line(
    line_id: int,
    body: present.LineChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    row = committed(
        session, service.update_line(session, asker.actor, line_id, body.version, changes)
    )
    return present.line_saved_json(row)


@router.get("/api/v1/schemes/{scheme_id}", tags=["budget"], response_model=present.SchemeOut)
def api_scheme(
    scheme_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return present.scheme_json(service.get_scheme(session, asker.actor, scheme_id), asker.actor)


@router.post(
    "/api/v1/schemes/{scheme_id}/reviews",
    status_code=201,
    tags=["budget"],
    response_model=present.ReviewAdded,
)
def api_add_review(
    scheme_id: int,
    body: present.ReviewIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    review = committed(
        session,
        service.add_review(
            session,
            asker.actor,
            scheme_id,
            body.reviewed_on,
            body.parts,
            body.recommendation,
            body.body,
            body.summary,
        ),
    )
    return present.review_added_json(review)


# ---- the NHS minimum contribution: its uplift taken from a financial model, previewed then applied


@router.get(
    "/api/v1/plans/{plan_id}/budget/nhs-minimum", tags=["budget"], response_model=MinimumOut
)
def api_nhs_minimum(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """The plan's minimum, where its uplift came from, and (for its editors) the financial
    models the year's uplift may be taken from."""
    return minimum_json(*service.minimum_and_offered(session, asker.actor, plan_id))


@router.post(
    "/api/v1/plans/{plan_id}/budget/nhs-minimum/preview",
    tags=["budget"],
    response_model=UpliftPreviewOut,
)
def api_preview_uplift(
    plan_id: int,
    body: UpliftIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """The uplift and minimum before and after taking the year's uplift from `model`, and the
    baseline's `version` to apply it with. Nothing is written."""
    return uplift_preview_json(
        service.preview_uplift(session, asker.actor, plan_id, str(body.model))
    )


@router.post(
    "/api/v1/plans/{plan_id}/budget/nhs-minimum", tags=["budget"], response_model=MinimumOut
)
def api_take_uplift(
    plan_id: int,
    body: UpliftChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Take the year's uplift from `model`, if the baseline is still at `version` (else 409
    with what moved). Audited; every budget of the area and year is checked again."""
    committed(
        session,
        service.take_uplift(session, asker.actor, plan_id, str(body.model), body.version),
    )
    return minimum_json(*service.minimum_and_offered(session, asker.actor, plan_id))
