"""Read and write schemas of the capacity API (pydantic), and how records become them. Every JSON
route declares one of these as its `response_model`; lists of editable records give each one's
`id`, `version` (models have one; runs do not) and `url`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.capacity.service.runs import DEFAULT_REPLICATIONS, DEFAULT_SEED, FINISHED, run_error

# ---- what clients send


class ModelIn(BaseModel):
    name: str
    scenario_yaml: str


class ModelChange(BaseModel):
    version: int
    name: str | None = None
    scenario_yaml: str | None = None


class RunIn(BaseModel):
    replications: int = DEFAULT_REPLICATIONS
    seed: int = DEFAULT_SEED


# ---- what they get


class ModelOut(BaseModel):
    id: int
    plan_id: int
    name: str
    scenario_yaml: str
    version: int
    created_at: str
    updated_at: str


class ModelListed(ModelOut):
    url: str


class ModelsOut(BaseModel):
    plan_id: int
    models: list[ModelListed]


class RunOut(BaseModel):
    """A run's status; `scenario_yaml` and `results` only when asked for (the route leaves unset
    fields out, so a run read with `results=false` has neither key)."""

    id: int
    model_id: int
    replications: int
    seed: int
    status: str
    progress: dict[str, Any] | None
    error: str | None
    started_at: str
    finished_at: str | None
    elapsed_seconds: float | None
    scenario_yaml: str | None = None
    results: dict[str, Any] | None = None


class RunListed(RunOut):
    url: str


class ModelDetail(ModelOut):
    runs: list[RunListed]


class PredictedOut(BaseModel):
    plan_id: int
    predicted: list[dict[str, Any]]


class SizingOut(BaseModel):
    """The sizing answer (`SizingResult.as_dict`, costs in pence, and the model's id); its value
    keys depend on the target's measure, so they pass through as they are."""

    model_config = ConfigDict(extra="allow")

    model_id: int
    service: str
    target: str
    met: bool


class CheapestOut(BaseModel):
    """The cheapest capacity (`CheapestResult.as_dict`, costs in pence, and the model's id):
    every capacity tried with its costs, the optimum with its interval, and month by month."""

    model_config = ConfigDict(extra="allow")

    model_id: int
    services: list[str]
    optimum: dict[str, Any]
    points: list[dict[str, Any]]


class ComparedRun(BaseModel):
    id: int
    model_id: int
    model: str
    replications: int
    seed: int
    finished_at: str | None


class ComparisonOut(BaseModel):
    plan_id: int
    runs: list[ComparedRun]
    services: dict[str, dict[str, list[Any]]]
    overall: dict[str, list[Any]]
    names: dict[str, str] = {}


def model_url(model_id: int) -> str:
    return f"/api/v1/capacity/models/{model_id}"


def run_url(run_id: int) -> str:
    return f"/api/v1/capacity/runs/{run_id}"


def model_json(model: CapacityModel) -> dict[str, Any]:
    return {
        "id": model.id,
        "plan_id": model.plan_id,
        "name": model.name,
        "scenario_yaml": model.scenario_yaml,
        "version": model.version,
        "created_at": model.created_at.isoformat(),
        "updated_at": model.updated_at.isoformat(),
    }


def run_json(
    run: CapacityRun, with_results: bool = True, progress: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": run.id,
        "model_id": run.model_id,
        "replications": run.replications,
        "seed": run.seed,
        "status": run.status,
        "progress": progress,
        "error": run_error(run),
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "elapsed_seconds": run.elapsed_seconds,
    }
    if with_results:
        body["scenario_yaml"] = run.scenario_yaml
        body["results"] = run.results if run.status == FINISHED else None
    return body


def models_json(plan_id: int, models: list[CapacityModel]) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "models": [{**model_json(m), "url": model_url(m.id)} for m in models],
    }


def model_detail_json(model: CapacityModel, runs: list[CapacityRun]) -> dict[str, Any]:
    return {
        **model_json(model),
        "runs": [{**run_json(r, with_results=False), "url": run_url(r.id)} for r in runs],
    }
