"""The financial model's JSON API under /api/v1: a plan's models, a model computed (its tables
in pence and £000, its assumptions, a scenario's standing), a line's change and a scenario's copy.
Every route declares its `response_model` (`present.answers`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from placeplan.finance import service
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
