"""The financial model's JSON API under /api/v1: a plan's models, a model computed (its tables
in pence and £000, its assumptions, a scenario's standing), a line's change and a scenario's copy;
a plan's need-weighted allocations, one read (shares, distance from target, glide path) and one
made or changed. Every route declares its `response_model` (`present.answers`,
`present.allocation_answers`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from placeplan.finance import service
from placeplan.finance.present.allocation_answers import (
    AllocationIn,
    AllocationOut,
    AllocationsOut,
    ChangeIn,
    allocation_json,
    document_of,
)
from placeplan.finance.present.allocation_answers import summary_json as allocation_summary
from placeplan.finance.present.answers import (
    LineIn,
    ModelOut,
    ModelsOut,
    ScenarioIn,
    model_json,
    summary_json,
)
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1", tags=["finance"])


def _answer(session: Session, asker: Who, record: Any) -> dict[str, Any]:
    return model_json(service.computed(record), service.staleness(session, asker.actor, record))


@router.get("/plans/{plan_id}/finance", response_model=ModelsOut)
def api_plan_models(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    models = service.plan_models(session, asker.actor, plan_id)
    return {"plan_id": plan_id, "models": [summary_json(m) for m in models]}


@router.get("/finance/{finance_id}", response_model=ModelOut)
def api_model(
    finance_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return _answer(session, asker, service.get_model(session, asker.actor, finance_id))


@router.patch("/finance/{finance_id}/lines/{line}", response_model=ModelOut)
def api_update_line(
    finance_id: int,
    line: str,
    body: LineIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    record = committed(
        session,
        service.update_line(session, asker.actor, finance_id, body.version, line, body.values),
    )
    return _answer(session, asker, record)


@router.post("/finance/{finance_id}/scenarios", status_code=201, response_model=ModelOut)
def api_copy(
    finance_id: int,
    body: ScenarioIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    record = committed(
        session, service.copy_to_scenario(session, asker.actor, finance_id, body.name)
    )
    return _answer(session, asker, record)


# ---- need-weighted allocations: the same scope and checks as their pages


@router.get("/plans/{plan_id}/finance/allocations", response_model=AllocationsOut)
def api_plan_allocations(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    records = service.plan_allocations(session, asker.actor, plan_id)
    return {"plan_id": plan_id, "allocations": [allocation_summary(r) for r in records]}


@router.get("/finance/allocations/{allocation_id}", response_model=AllocationOut)
def api_allocation(
    allocation_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """Each area's need index, target share, distance from target and glide path by year."""
    return allocation_json(service.get_allocation(session, asker.actor, allocation_id))


@router.post("/plans/{plan_id}/finance/allocations", status_code=201, response_model=AllocationOut)
def api_make_allocation(
    plan_id: int,
    body: AllocationIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    made = committed(
        session,
        service.save_allocation_document(
            session, asker.actor, plan_id, None, None, body.name, document_of(body)
        ),
    )
    return allocation_json(service.allocated(made))


@router.put("/finance/allocations/{allocation_id}", response_model=AllocationOut)
def api_change_allocation(
    allocation_id: int,
    body: ChangeIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Replace the allocation with the one sent, if it is still at `version` (else 409 with
    what moved)."""
    changed = committed(
        session,
        service.save_allocation_document(
            session, asker.actor, None, allocation_id, body.version, body.name, document_of(body)
        ),
    )
    return allocation_json(service.allocated(changed))
