"""The capacity JSON API under /api/v1: models, runs (made in the background), sizing, comparison
and the predicted metric. Every route declares its `response_model` (`present.schemas`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from placeplan.capacity import service
from placeplan.capacity.present.params import run_ids
from placeplan.capacity.present.schemas import (
    CheapestOut,
    ComparisonOut,
    ModelChange,
    ModelDetail,
    ModelIn,
    ModelOut,
    ModelsOut,
    PredictedOut,
    RunIn,
    RunOut,
    SizingOut,
    model_detail_json,
    model_json,
    models_json,
    run_json,
)
from placeplan.capacity.service.runner import progress_of, runner_for
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1", tags=["capacity"])


@router.get("/plans/{plan_id}/capacity/models", response_model=ModelsOut)
def api_models(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return models_json(plan_id, service.list_models(session, asker.actor, plan_id))


@router.post("/plans/{plan_id}/capacity/models", status_code=201, response_model=ModelOut)
def api_create_model(
    plan_id: int,
    body: ModelIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    model = committed(
        session, service.create_model(session, asker.actor, plan_id, body.name, body.scenario_yaml)
    )
    return model_json(model)


@router.get(
    "/capacity/models/{model_id}", response_model=ModelDetail, response_model_exclude_unset=True
)
def api_model(
    model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    model = service.get_model(session, asker.actor, model_id)
    return model_detail_json(model, service.runs_of(session, asker.actor, model_id))


@router.patch("/capacity/models/{model_id}", response_model=ModelOut)
def api_update_model(
    model_id: int,
    body: ModelChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    model = committed(
        session,
        service.update_model(
            session, asker.actor, model_id, body.version, body.name, body.scenario_yaml
        ),
    )
    return model_json(model)


@router.post(
    "/capacity/models/{model_id}/runs",
    status_code=201,
    response_model=RunOut,
    response_model_exclude_unset=True,
)
def api_run(
    request: Request,
    model_id: int,
    body: RunIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Queue a run; it is made in the background. Follow it at `/api/v1/capacity/runs/{id}`."""
    run = committed(
        session, service.queue_run(session, asker.actor, model_id, body.replications, body.seed)
    )
    runner = runner_for(request.app)
    runner.submit(run.id, run.replications, asker.actor)
    return run_json(run, progress=progress_of(runner, run))


@router.get("/capacity/runs/{run_id}", response_model=RunOut, response_model_exclude_unset=True)
def api_get_run(
    request: Request,
    run_id: int,
    results: bool = True,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    """A run's status (`queued`, `running`, `finished`, `failed`), its progress (replications
    done of the total; null while running when another server process is making it), its error
    if it failed, and its results once finished (`results=false` leaves them out)."""
    run = service.get_run(session, asker.actor, run_id)
    return run_json(run, with_results=results, progress=progress_of(runner_for(request.app), run))


@router.get("/plans/{plan_id}/capacity/predicted", response_model=PredictedOut)
def api_predicted(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """Per capacity model of the plan, the latest finished run's predicted discharge-delay
    metric (`discharge_delay`)."""
    return {
        "plan_id": plan_id,
        "predicted": service.predicted_metrics(session, asker.actor, plan_id),
    }


@router.get("/capacity/models/{model_id}/size", response_model=SizingOut)
def api_size(
    model_id: int,
    service_id: str,
    target: str,
    replications: int = 200,
    seed: int = service.DEFAULT_SEED,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    return service.size_on_request(
        session, asker.actor, model_id, service_id, target, replications, seed
    )


@router.get("/capacity/models/{model_id}/cheapest", response_model=CheapestOut)
def api_cheapest(
    model_id: int,
    service_id: Annotated[list[str], Query()],
    replications: int = 100,
    seed: int = service.DEFAULT_SEED,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    """The capacity of least total cost of one service (or linked services, `service_id`
    repeated) and every capacity tried."""
    return service.cheapest_for_model(
        session, asker.actor, model_id, service_id, replications, seed
    )


@router.get("/plans/{plan_id}/capacity/compare", response_model=ComparisonOut)
def api_compare(
    plan_id: int, runs: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return service.compare_runs(session, asker.actor, plan_id, run_ids(runs)).as_dict()
