"""Capacity models kept with a plan: create, edit, run, size and compare. Every write is audited.

One module per use case; the public functions are re-exported here, so
`from placeplan.capacity import service; service.run_model(...)` keeps working:

    overview    what the pages show (a plan's models; a model with its runs)
    stored      models: read, create, edit (and the scenario check, `validate`)
    runs        runs: queue (the background runner makes them: `runner`), make at once, read
    sizing      the least capacity meeting a target (`sizing_jobs`: made in the background)
    comparison  finished runs side by side
    predicted   the predicted BCF discharge-delay metric (read by `placeplan.measures`)
    demo        the demo's model
    money       costs in integer pence at the boundary
"""

from __future__ import annotations

from placeplan.capacity.service.comparison import KEY_MEASURES, Comparison, compare_runs
from placeplan.capacity.service.demo import (
    DEMO_FILE,
    DEMO_MODEL_NAME,
    DEMO_PLAN_KEY,
    load_demo_models,
)
from placeplan.capacity.service.money import COST_KEYS, costs_in_pence, pence
from placeplan.capacity.service.overview import (
    ModelOverview,
    PlanModels,
    finished_run,
    model_overview,
    plan_models,
    shown_run,
)
from placeplan.capacity.service.predicted import DISCHARGE_METRIC_KEY, predicted_metrics
from placeplan.capacity.service.runs import (
    ACTIVE,
    DEFAULT_REPLICATIONS,
    DEFAULT_SEED,
    FAILED,
    FINISHED,
    MAX_WEB_REPLICATIONS,
    QUEUED,
    RUNNING,
    execute_run,
    failure_message,
    mark_failed,
    mark_running,
    queue_run,
    require_made,
    run_error,
    run_model,
)
from placeplan.capacity.service.sizing import (
    SizingAsk,
    ask_sizing,
    cheapest_for_model,
    make_sizing,
    prepare_sizing,
    size_model,
    size_on_request,
)
from placeplan.capacity.service.stored import (
    MAX_YAML_CHARS,
    MODEL_EDITABLE,
    can_edit,
    create_model,
    get_model,
    get_run,
    latest_run,
    list_models,
    model_count,
    runs_of,
    update_model,
    validate,
)

__all__ = [
    "ACTIVE",
    "COST_KEYS",
    "DEFAULT_REPLICATIONS",
    "DEFAULT_SEED",
    "DEMO_FILE",
    "DEMO_MODEL_NAME",
    "DEMO_PLAN_KEY",
    "DISCHARGE_METRIC_KEY",
    "FAILED",
    "FINISHED",
    "KEY_MEASURES",
    "MAX_WEB_REPLICATIONS",
    "MAX_YAML_CHARS",
    "MODEL_EDITABLE",
    "QUEUED",
    "RUNNING",
    "Comparison",
    "ModelOverview",
    "PlanModels",
    "can_edit",
    "compare_runs",
    "costs_in_pence",
    "create_model",
    "execute_run",
    "failure_message",
    "finished_run",
    "get_model",
    "get_run",
    "latest_run",
    "list_models",
    "model_count",
    "load_demo_models",
    "mark_failed",
    "mark_running",
    "model_overview",
    "pence",
    "plan_models",
    "predicted_metrics",
    "queue_run",
    "require_made",
    "run_error",
    "run_model",
    "runs_of",
    "shown_run",
    "size_model",
    "SizingAsk",
    "ask_sizing",
    "make_sizing",
    "prepare_sizing",
    "size_on_request",
    "cheapest_for_model",
    "update_model",
    "validate",
]
