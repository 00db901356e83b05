"""The budget's JSON API under /api/v1: a plan's budget and summary, replacing a budget, changing
a line, a scheme and its KLOE reviews."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from placeplan.budget import present, service
from placeplan.budget.domain.document import document_from_mapping
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter()


@router.get("/api/v1/plans/{plan_id}/budget", tags=["budget"], response_model=present.BudgetOut)
def api_budget(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return present.budget_json(plan_id, service.view(session, asker.actor, plan_id))


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
    warnings = committed(
        session,
        service.load_document(session, asker.actor, plan_id, document_from_mapping(body.document)),
    )
    return {"plan_id": plan_id, "warnings": present.findings_json(warnings)}


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
