"""Capacity models kept with a plan: create, edit, run, size and compare. Every write is audited.

The engine reports money as float pounds (model estimates). At this boundary every cost becomes
integer pence (Decimal, rounded half up to the penny), under keys ending `_pence`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.capacity import report
from placeplan.capacity.engine import Progress
from placeplan.capacity.engine import run as run_engine
from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.capacity.report import finite
from placeplan.capacity.scenario import Scenario, parse_scenario_text
from placeplan.capacity.sizing import parse_target, size
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

DEMO_FILE = Path(__file__).resolve().parents[1] / "demo" / "data" / "capacity_llr.yaml"
DEMO_PLAN_KEY = "leics-bcf-2025-26"
DEMO_MODEL_NAME = "LLR intermediate care 2025-26"

MODEL_EDITABLE = ["name", "scenario_yaml"]
DEFAULT_REPLICATIONS = 1000
DEFAULT_SEED = 1
MAX_WEB_REPLICATIONS = 10_000  # runs are made one at a time in the background: about 15 s at most

# a run's status: queued (recorded, waiting for the runner), running, then finished or failed
QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
ACTIVE = (QUEUED, RUNNING)
MAX_YAML_CHARS = 200_000

# engine measures in pounds, stored and shown as pence
COST_KEYS = frozenset(
    {"delayed_bed_day_cost", "interim_cost", "service_cost", "total_cost", "cost_per_day"}
)


# ---- money at the boundary ---------------------------------------------------------------------


def pence(pounds: float | None) -> int | None:
    """Float pounds from the engine to integer pence, via Decimal, rounded half up."""
    if pounds is None or not math.isfinite(pounds):
        return None
    return int((Decimal(repr(float(pounds))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(value: Any) -> Any:
    """A number or a {value, low, high, p2_5, p97_5} of pounds, in pence."""
    if isinstance(value, dict):
        return {k: pence(v) for k, v in value.items()}
    if isinstance(value, (int, float)):
        return pence(float(value))
    return value


def costs_in_pence(doc: Any) -> Any:
    """The engine's report with every cost key `x` replaced by `x_pence` in integer pence."""
    if isinstance(doc, list):
        return [costs_in_pence(v) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in COST_KEYS:
            out[f"{key}_pence"] = _money(value)
        else:
            out[key] = costs_in_pence(value)
    return out


# ---- reading ------------------------------------------------------------------------------------


def _require_edit(actor: Actor, plan: Plan) -> None:
    require(
        can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's capacity models"
    )


def can_edit(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def list_models(session: Session, actor: Actor, plan_id: int) -> list[CapacityModel]:
    get_plan(session, actor, plan_id)
    return list(
        session.scalars(
            select(CapacityModel)
            .where(CapacityModel.plan_id == plan_id)
            .order_by(CapacityModel.name, CapacityModel.id)
        )
    )


def get_model(session: Session, actor: Actor, model_id: int) -> CapacityModel:
    model = session.get(CapacityModel, model_id)
    if model is None:
        raise NotFound(f"no capacity model {model_id}")
    get_plan(session, actor, model.plan_id)  # visibility follows the plan's
    return model


def runs_of(session: Session, actor: Actor, model_id: int) -> list[CapacityRun]:
    get_model(session, actor, model_id)
    return list(
        session.scalars(
            select(CapacityRun)
            .where(CapacityRun.model_id == model_id)
            .order_by(CapacityRun.id.desc())
        )
    )


def latest_run(session: Session, actor: Actor, model_id: int) -> CapacityRun | None:
    runs = runs_of(session, actor, model_id)
    return runs[0] if runs else None


def get_run(session: Session, actor: Actor, run_id: int) -> CapacityRun:
    row = session.get(CapacityRun, run_id)
    if row is None:
        raise NotFound(f"no capacity run {run_id}")
    get_model(session, actor, row.model_id)
    return row


# ---- writing ------------------------------------------------------------------------------------


def validate(text: str) -> Scenario:
    """The engine's own loader: bad input raises InputError naming the field."""
    if not text.strip():
        raise InputError("paste the scenario's YAML", field="scenario_yaml")
    if len(text) > MAX_YAML_CHARS:
        raise InputError(
            f"a scenario is at most {MAX_YAML_CHARS:,} characters", field="scenario_yaml"
        )
    return parse_scenario_text(text)


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("give the model a name", field="name")
    if len(name) > 200:
        raise InputError("a name is at most 200 characters", field="name")
    return name


def _unique_name(session: Session, plan_id: int, name: str, model_id: int | None = None) -> None:
    clash = session.scalar(
        select(CapacityModel.id).where(
            CapacityModel.plan_id == plan_id,
            CapacityModel.name == name,
            CapacityModel.id != (model_id or 0),
        )
    )
    if clash is not None:
        raise InputError(f"this plan already has a model named '{name}'", field="name")


def create_model(
    session: Session, actor: Actor, plan_id: int, name: str, scenario_yaml: str
) -> CapacityModel:
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    name = _name(name)
    validate(scenario_yaml)
    _unique_name(session, plan_id, name)
    now = utcnow()
    model = CapacityModel(
        plan_id=plan_id, name=name, scenario_yaml=scenario_yaml, created_at=now, updated_at=now
    )
    return add_recorded(session, actor, "capacity_model", model)


def update_model(
    session: Session,
    actor: Actor,
    model_id: int,
    expected_version: int | None,
    name: str | None = None,
    scenario_yaml: str | None = None,
) -> CapacityModel:
    model = get_model(session, actor, model_id)
    _require_edit(actor, model.plan)
    check_version(session, model, "capacity_model", expected_version, MODEL_EDITABLE)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = _name(name)
        _unique_name(session, model.plan_id, changes["name"], model.id)
    if scenario_yaml is not None:
        validate(scenario_yaml)
        changes["scenario_yaml"] = scenario_yaml
    changes = {k: v for k, v in changes.items() if getattr(model, k) != v}
    if changes:
        changes["updated_at"] = utcnow()
        update_recorded(session, actor, "capacity_model", model, changes)
    return model


def queue_run(
    session: Session,
    actor: Actor,
    model_id: int,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
) -> CapacityRun:
    """Record a run to be made (status `queued`) with the scenario as it is now. Bad input writes
    nothing; `execute_run` (in the background runner) makes it."""
    row = _new_run(session, actor, model_id, replications, seed)
    return add_recorded(session, actor, "capacity_run", row)


def _new_run(
    session: Session, actor: Actor, model_id: int, replications: int, seed: int
) -> CapacityRun:
    model = get_model(session, actor, model_id)
    _require_edit(actor, model.plan)
    if not 1 <= replications <= MAX_WEB_REPLICATIONS:
        raise InputError(
            f"replications run from 1 to {MAX_WEB_REPLICATIONS:,}", field="replications"
        )
    if seed < 0 or seed > 2**31 - 1:
        raise InputError("the seed is a whole number from 0 to 2147483647", field="seed")
    validate(model.scenario_yaml)
    row = CapacityRun(
        model_id=model.id,
        scenario_yaml=model.scenario_yaml,
        replications=replications,
        seed=seed,
        results=None,
        status=QUEUED,
        started_at=utcnow(),
        finished_at=None,
        elapsed_seconds=None,
    )
    return row


def mark_running(session: Session, actor: Actor, row: CapacityRun) -> None:
    # permission was checked when the run was queued; the runner acts for whoever queued it
    update_recorded(
        session, actor, "capacity_run", row, {"status": RUNNING, "started_at": utcnow()}
    )


def execute_run(
    session: Session, actor: Actor, row: CapacityRun, progress: Progress | None = None
) -> CapacityRun:
    """Simulate a queued run and store its report (costs in pence), status `finished`.

    Raises whatever the engine raises; the caller records the failure (`mark_failed`) in a fresh
    transaction, so a half-made result is never stored."""
    update_recorded(session, actor, "capacity_run", row, _made(row, progress))
    return row


def _made(row: CapacityRun, progress: Progress | None) -> dict[str, Any]:
    scenario = validate(row.scenario_yaml)
    result = run_engine(scenario, replications=row.replications, seed=row.seed, progress=progress)
    return {
        "status": FINISHED,
        "results": costs_in_pence(finite(report.as_dict(result))),
        "finished_at": utcnow(),
        "elapsed_seconds": round(result.elapsed_seconds, 3),
    }


def mark_failed(session: Session, actor: Actor, row: CapacityRun, message: str) -> None:
    """A run that could not be made: status `failed`, its message kept in `results` (the table has
    no error column and its migration is not ours to add)."""
    update_recorded(
        session,
        actor,
        "capacity_run",
        row,
        {"status": FAILED, "results": {"error": {"message": message}}, "finished_at": utcnow()},
    )


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def run_error(row: CapacityRun) -> str | None:
    if row.status != FAILED:
        return None
    error = (row.results or {}).get("error") or {}
    return str(error.get("message") or "the run failed")


def run_model(
    session: Session,
    actor: Actor,
    model_id: int,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> CapacityRun:
    """Make a run at once, in the caller's transaction (scripts, the demo, tests): one audited
    creation of the finished run. Bad input writes nothing; an engine failure propagates."""
    row = _new_run(session, actor, model_id, replications, seed)
    for key, value in _made(row, progress).items():
        setattr(row, key, value)
    return add_recorded(session, actor, "capacity_run", row)


def size_model(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    target: str,
    replications: int = 200,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """The least capacity of one service meeting the target, and the gap. Nothing is stored."""
    model = get_model(session, actor, model_id)
    if not 1 <= replications <= MAX_WEB_REPLICATIONS:
        raise InputError(
            f"replications run from 1 to {MAX_WEB_REPLICATIONS:,}", field="replications"
        )
    scenario = validate(model.scenario_yaml)
    if service_id not in {s.id for s in scenario.services}:
        raise InputError(f"the model has no service '{service_id}'", field="service")
    try:
        tgt = parse_target(target)
    except InputError as exc:
        raise InputError(exc.message, field="target") from exc
    doc = finite(size(scenario, service_id, tgt, replications, seed).as_dict())
    if tgt.metric in COST_KEYS:
        for key in ("value_at_needed", "value_with_one_fewer", "value_now"):
            doc[f"{key}_pence"] = _money(doc.pop(key))
        for row in doc["evaluations"]:
            row["value_pence"] = pence(row.pop("value"))
    doc["model_id"] = model.id
    return dict(doc)


# ---- comparing runs -----------------------------------------------------------------------------

KEY_MEASURES = [
    ("mean_wait_days", "Mean wait (days)"),
    ("p_wait", "Share who wait"),
    ("p_start_within_2_days", "Share starting within 2 days"),
    ("mean_queue", "Mean queue"),
    ("utilisation", "Utilisation"),
    ("delayed_bed_days_per_month", "Delayed bed days a month"),
    ("delayed_bed_day_cost_pence", "Cost of delayed bed days"),
    ("total_cost_pence", "Total cost"),
]


@dataclass
class Comparison:
    plan: Plan
    runs: list[CapacityRun]
    services: list[str]
    rows: list[dict[str, Any]]  # {"service", "measure", "label", "values": [stat | None per run]}
    overall: list[dict[str, Any]]  # {"measure", "label", "values"}

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.id,
            "runs": [
                {
                    "id": r.id,
                    "model_id": r.model_id,
                    "model": r.model.name,
                    "replications": r.replications,
                    "seed": r.seed,
                    "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                }
                for r in self.runs
            ],
            "services": {
                sid: {row["measure"]: row["values"] for row in self.rows if row["service"] == sid}
                for sid in self.services
            },
            "overall": {row["measure"]: row["values"] for row in self.overall},
        }


def compare_runs(session: Session, actor: Actor, plan_id: int, run_ids: list[int]) -> Comparison:
    plan = get_plan(session, actor, plan_id)
    if len(run_ids) < 2:
        raise InputError("choose two or more runs to compare", field="runs")
    runs = [get_run(session, actor, rid) for rid in run_ids]
    for r in runs:
        if r.model.plan_id != plan_id:
            raise InputError(f"run {r.id} is not a run of this plan's models", field="runs")
        if r.status != FINISHED:
            raise InputError(f"run {r.id} is {r.status}: only finished runs compare", field="runs")
    services: list[str] = []
    for r in runs:
        for sid in (r.results or {}).get("services", {}):
            if sid not in services:
                services.append(sid)
    rows = []
    for sid in services:
        for measure, label in KEY_MEASURES:
            values = [
                ((r.results or {}).get("services", {}).get(sid) or {}).get(measure) for r in runs
            ]
            rows.append({"service": sid, "measure": measure, "label": label, "values": values})
    overall = []
    for measure, label in [
        ("share_on_drd", "Share discharged on their discharge ready date"),
        ("average_delay_days", "Average discharge delay (days)"),
    ]:
        values = [((r.results or {}).get("discharge_metric") or {}).get(measure) for r in runs]
        overall.append({"measure": measure, "label": label, "values": values})
    overall.append(
        {
            "measure": "total_cost_pence",
            "label": "Total cost, all services",
            "values": [(r.results or {}).get("total_cost_pence") for r in runs],
        }
    )
    return Comparison(plan, runs, services, rows, overall)


# ---- the demo -----------------------------------------------------------------------------------


def load_demo_models(session: Session, actor: Actor) -> CapacityModel | None:
    """Attach the LLR demo scenario to the demo's 2025-26 Leicestershire BCF plan (no run).

    Idempotent: a model of that name already on the plan is left as it is. None if the plan is
    not there (the demo's plans were not loaded).
    """
    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        return None
    existing = session.scalar(
        select(CapacityModel).where(
            CapacityModel.plan_id == plan_id, CapacityModel.name == DEMO_MODEL_NAME
        )
    )
    if existing is not None:
        return existing
    return create_model(
        session, actor, plan_id, DEMO_MODEL_NAME, DEMO_FILE.read_text(encoding="utf-8")
    )


# ---- the predicted BCF metric -------------------------------------------------------------------

DISCHARGE_METRIC_KEY = "discharge_delay"  # demo/data/metrics.yaml


def predicted_metrics(session: Session, actor: Actor, plan_id: int) -> list[dict[str, Any]]:
    """Per capacity model of the plan, its latest finished run's predicted "average length of
    discharge delay" (the metric `discharge_delay`): the share of all acute discharges made on
    their discharge ready date, the mean delay of the others, and their product, the metric.

    The engine's `average_delay_days` is delayed days over all discharges, which is exactly that
    product: (delayed / all) x (delayed days / delayed)."""
    get_plan(session, actor, plan_id)
    out: list[dict[str, Any]] = []
    for model in session.scalars(
        select(CapacityModel)
        .where(CapacityModel.plan_id == plan_id)
        .order_by(CapacityModel.name, CapacityModel.id)
    ):
        run = session.scalars(
            select(CapacityRun)
            .where(CapacityRun.model_id == model.id, CapacityRun.status == FINISHED)
            .order_by(CapacityRun.id.desc())
            .limit(1)
        ).first()
        dm = ((run.results or {}).get("discharge_metric") or {}) if run else {}
        if run is None or not dm:
            continue
        out.append(
            {
                "metric": DISCHARGE_METRIC_KEY,
                "model_id": model.id,
                "model": model.name,
                "run_id": run.id,
                "replications": run.replications,
                "seed": run.seed,
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "start": (run.results or {}).get("start"),
                "share_on_drd": dm.get("share_on_drd"),
                "mean_delay_days_of_delayed": dm.get("mean_delay_days_of_delayed"),
                "average_delay_days": dm.get("average_delay_days"),
            }
        )
    return out
