"""Pages and API for a plan's capacity models: edit, run, size, compare."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.capacity import service
from placeplan.capacity.fan_svg import fan_svg
from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.capacity.runner import runner_for
from placeplan.core.errors import Conflict, InputError
from placeplan.core.money import format_pence
from placeplan.plans.service import get_plan
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.forms import form_version
from placeplan.web.templating import csv_response, render

router = APIRouter()

CSV_COLUMNS = [
    "service",
    "month",
    "capacity",
    "demand",
    "admissions",
    "occupancy",
    "occupancy_p2_5",
    "occupancy_p97_5",
    "utilisation",
    "queue",
    "mean_wait_days",
    "delayed_bed_days",
    "delayed_bed_day_cost_pence",
    "interim_placements",
    "interim_cost_pence",
    "total_cost_pence",
]


# ---- formatting and charts (pure helpers for the templates) ------------------------------------


def num(value: Any, digits: int = 1) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def pct(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    return "–" if value is None else f"{value * 100:.1f}%"


def money(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    return "–" if value is None else format_pence(int(value), whole_pounds=True)


def _v(stat: Any, key: str = "value") -> float | None:
    return stat.get(key) if isinstance(stat, dict) else stat


def charts(service_doc: dict[str, Any]) -> dict[str, Any]:
    """SVG geometry for places needed against capacity (bars) and occupancy with its 95% band."""
    monthly = service_doc["monthly"]
    n = len(monthly) or 1
    caps = [float(r["capacity"]) for r in monthly]
    load = [float(x) for x in service_doc.get("offered_load_by_month", [])][: len(monthly)]
    occ = [_v(r["occupancy"]) or 0.0 for r in monthly]
    low = [_v(r["occupancy"], "p2_5") or 0.0 for r in monthly]
    high = [_v(r["occupancy"], "p97_5") or 0.0 for r in monthly]
    top = max(caps + load + high + [1.0]) * 1.1
    left, width, height, base = 60.0, 720.0, 220.0, 240.0
    step = width / n

    def y(value: float) -> float:
        return round(base - height * value / top, 1)

    bars = []
    for i, row in enumerate(monthly):
        x = left + i * step
        needed = load[i] if i < len(load) else 0.0
        bars.append(
            {
                "x_load": round(x + step * 0.1, 1),
                "x_cap": round(x + step * 0.5, 1),
                "w": round(step * 0.38, 1),
                "y_load": y(needed),
                "h_load": round(base - y(needed), 1),
                "y_cap": y(caps[i]),
                "h_cap": round(base - y(caps[i]), 1),
                "label": row["month"][-2:] if "-" in row["month"] else row["month"],
                "x_mid": round(x + step / 2, 1),
            }
        )
    mid = [left + (i + 0.5) * step for i in range(len(monthly))]
    band = [f"{x:.1f},{y(v)}" for x, v in zip(mid, high, strict=True)] + [
        f"{x:.1f},{y(v)}" for x, v in reversed(list(zip(mid, low, strict=True)))
    ]
    ticks = [{"y": y(top * k / 4), "label": f"{top * k / 4:,.0f}"} for k in range(5)]
    return {
        "bars": bars,
        "ticks": ticks,
        "occupancy": " ".join(f"{x:.1f},{y(v)}" for x, v in zip(mid, occ, strict=True)),
        "capacity": " ".join(f"{x:.1f},{y(v)}" for x, v in zip(mid, caps, strict=True)),
        "band": " ".join(band),
        "left": left,
        "right": left + width,
        "base": base,
    }


def monthly_rows(run: CapacityRun) -> list[list[Any]]:
    rows = []
    for sid, doc in (run.results or {}).get("services", {}).items():
        for r in doc["monthly"]:
            rows.append(
                [
                    sid,
                    r["month"],
                    r["capacity"],
                    _v(r["demand"]),
                    _v(r["admissions"]),
                    _v(r["occupancy"]),
                    _v(r["occupancy"], "p2_5"),
                    _v(r["occupancy"], "p97_5"),
                    _v(r["utilisation"]),
                    _v(r["queue"]),
                    _v(r["mean_wait_days"]),
                    _v(r["delayed_bed_days"]),
                    _v(r["delayed_bed_day_cost_pence"]),
                    _v(r["interim_placements"]),
                    _v(r["interim_cost_pence"]),
                    _v(r["total_cost_pence"]),
                ]
            )
    return rows


FAN_COLUMNS = ["service", "measure", "month", "p2_5", "p25", "p50", "p75", "p97_5"]
FAN_MEASURES = {"occupancy": "places occupied", "queue": "people waiting"}


def fan_rows(run: CapacityRun) -> list[list[Any]]:
    rows = []
    for sid, doc in (run.results or {}).get("services", {}).items():
        for measure, months in (doc.get("fan") or {}).items():
            for r in months:
                rows.append([sid, measure, r["month"]] + [r.get(k) for k in FAN_COLUMNS[3:]])
    return rows


WAIT_COLUMNS = ["service", "within_days", "share", "low", "high", "p2_5", "p97_5"]


def wait_rows(run: CapacityRun) -> list[list[Any]]:
    """The waiting time distribution of each service (none where its queue grows without bound,
    nor for runs stored before it was kept)."""
    rows = []
    for sid, doc in (run.results or {}).get("services", {}).items():
        for band in doc.get("wait_distribution") or []:
            share = band["share"]
            rows.append(
                [sid, band["within_days"], share.get("value")]
                + [share.get(k) for k in WAIT_COLUMNS[3:]]
            )
    return rows


def fans(results: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per service, per fanned measure, the fan chart's SVG (runs stored before fans were kept
    have none)."""
    out: dict[str, dict[str, str]] = {}
    for sid, doc in results.get("services", {}).items():
        charts_of: dict[str, str] = {}
        for measure, label in FAN_MEASURES.items():
            months = (doc.get("fan") or {}).get(measure)
            if not months:
                continue
            charts_of[measure] = fan_svg(
                months,
                f"{sid}: {label} by month",
                ident=f"fan-{sid}-{measure}",
                measure=label,
                capacity=[r["capacity"] for r in doc["monthly"]]
                if measure == "occupancy"
                else None,
            )
        out[sid] = charts_of
    return out


def progress_of(request: Request, run: CapacityRun) -> dict[str, Any] | None:
    """Replications done of the total: known for queued and made runs, and for a running one in
    the process making it (the runner's registry is process-local)."""
    if run.status == service.QUEUED:
        return {"done": 0, "total": run.replications, "fraction": 0.0}
    if run.status == service.FINISHED:
        return {"done": run.replications, "total": run.replications, "fraction": 1.0}
    if run.status == service.RUNNING:
        found = runner_for(request.app).progress(run.id)
        return found.as_dict() if found else None
    return None


HELPERS: dict[str, Any] = {"num": num, "pct": pct, "money": money}


# ---- pages --------------------------------------------------------------------------------------


def _models_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    status_code: int = 200,
    error: InputError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    plan = get_plan(session, asker.actor, plan_id)
    models = service.list_models(session, asker.actor, plan_id)
    runs = {  # made runs only: queued, running and failed ones have nothing to show or compare
        m.id: [r for r in service.runs_of(session, asker.actor, m.id) if r.status == "finished"]
        for m in models
    }
    return render(
        request,
        "capacity_models.html",
        asker,
        status_code=status_code,
        plan=plan,
        models=models,
        runs=runs,
        can_edit=service.can_edit(asker.actor, plan),
        error=error,
        typed=typed or {},
        demo_name=service.DEMO_MODEL_NAME,
        **HELPERS,
    )


@router.get("/plans/{plan_id}/capacity", include_in_schema=False)
def models_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _models_page(request, session, asker, plan_id)


@router.post("/plans/{plan_id}/capacity", include_in_schema=False)
def models_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = {k: str(form.get(k) or "") for k in ("name", "source", "scenario_yaml")}
    text = typed["scenario_yaml"]
    if typed["source"] == "demo":
        text = service.DEMO_FILE.read_text(encoding="utf-8")
    try:
        model = service.create_model(session, asker.actor, plan_id, typed["name"], text)
        commit(session)
    except InputError as exc:
        session.rollback()
        return _models_page(request, session, asker, plan_id, 400, error=exc, typed=typed)
    return RedirectResponse(f"/capacity/{model.id}", status_code=303)


def _model_page(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
    sizing: dict[str, Any] | None = None,
    sizing_asked: dict[str, str] | None = None,
    run_id: int | None = None,
) -> Response:
    model = service.get_model(session, asker.actor, model_id)
    runs = service.runs_of(session, asker.actor, model_id)
    made = [r for r in runs if r.status == service.FINISHED]
    run = next((r for r in made if r.id == run_id), None) if run_id else None
    run = run or (made[0] if made else None)
    results = (run.results or {}) if run else {}
    service_ids: list[str] = list(results.get("services", {}))
    if not service_ids:
        try:
            service_ids = [s.id for s in service.validate(model.scenario_yaml).services]
        except InputError:
            service_ids = []
    return render(
        request,
        "capacity_model.html",
        asker,
        status_code=status_code,
        model=model,
        plan=model.plan,
        runs=made,
        active=[r for r in runs if r.status in service.ACTIVE],
        failed=[r for r in runs if r.status == service.FAILED][:3],
        run=run,
        results=results,
        charts={sid: charts(doc) for sid, doc in results.get("services", {}).items()},
        fans=fans(results),
        service_ids=service_ids,
        can_edit=service.can_edit(asker.actor, model.plan),
        error=error,
        conflict=conflict,
        typed=typed or {},
        sizing=sizing,
        sizing_asked=sizing_asked or {},
        defaults={"replications": service.DEFAULT_REPLICATIONS, "seed": service.DEFAULT_SEED},
        **HELPERS,
    )


@router.get("/capacity/{model_id}", include_in_schema=False)
def model_page(
    request: Request,
    model_id: int,
    format: str | None = None,
    run: int | None = None,
    service_id: str | None = None,
    target: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if format == "csv":
        runs = [
            r
            for r in service.runs_of(session, asker.actor, model_id)
            if r.status == service.FINISHED
        ]
        chosen = next((r for r in runs if r.id == run), None) if run else None
        chosen = chosen or (runs[0] if runs else None)
        if chosen is None:
            raise InputError("this model has not been run yet", field="run")
        return csv_response(
            f"capacity-model-{model_id}-run-{chosen.id}-monthly.csv",
            CSV_COLUMNS,
            monthly_rows(chosen),
        )
    if service_id is not None or target is not None:
        asked = {"service_id": service_id or "", "target": target or ""}
        try:
            sizing = service.size_model(
                session, asker.actor, model_id, service_id or "", target or ""
            )
        except InputError as exc:
            return _model_page(
                request, session, asker, model_id, 400, error=exc, sizing_asked=asked, run_id=run
            )
        return _model_page(
            request, session, asker, model_id, sizing=sizing, sizing_asked=asked, run_id=run
        )
    return _model_page(request, session, asker, model_id, run_id=run)


@router.post("/capacity/{model_id}", include_in_schema=False)
def model_submit(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = {k: str(form.get(k) or "") for k in ("name", "scenario_yaml", "version")}
    try:
        service.update_model(
            session,
            asker.actor,
            model_id,
            form_version(form),
            name=typed["name"],
            scenario_yaml=typed["scenario_yaml"],
        )
        commit(session)
    except Conflict as exc:
        session.rollback()
        return _model_page(request, session, asker, model_id, 409, conflict=exc, typed=typed)
    except InputError as exc:
        session.rollback()
        return _model_page(request, session, asker, model_id, 400, error=exc, typed=typed)
    return RedirectResponse(f"/capacity/{model_id}", status_code=303)


def _whole(form: FormData, name: str, default: int) -> int:
    text = str(form.get(name) or "").replace(",", "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise InputError(f"'{text}' is not a whole number", field=name)
    return int(text)


@router.post("/capacity/{model_id}/runs", include_in_schema=False)
def run_submit(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    try:
        run = service.queue_run(
            session,
            asker.actor,
            model_id,
            _whole(form, "replications", service.DEFAULT_REPLICATIONS),
            _whole(form, "seed", service.DEFAULT_SEED),
        )
        commit(session)
    except InputError as exc:
        session.rollback()
        return _model_page(request, session, asker, model_id, 400, error=exc)
    runner_for(request.app).submit(run.id, run.replications, asker.actor)
    return RedirectResponse(f"/capacity/runs/{run.id}", status_code=303)


STATUS_TEXT = {
    service.QUEUED: ("Queued", "grey", "waiting for the runner to start it"),
    service.RUNNING: ("Running", "blue", "simulating"),
    service.FINISHED: ("Finished", "green", "the results are below"),
    service.FAILED: ("Failed", "red", "the run could not be made"),
}


@router.get("/capacity/runs/{run_id}", include_in_schema=False)
def run_page(
    request: Request,
    run_id: int,
    format: str | None = None,
    table: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    run = service.get_run(session, asker.actor, run_id)
    if format == "csv":
        if run.status != service.FINISHED:
            raise InputError("this run has no results yet", field="run")
        if table == "fan":
            return csv_response(f"capacity-run-{run.id}-fan.csv", FAN_COLUMNS, fan_rows(run))
        if table == "waits":
            return csv_response(f"capacity-run-{run.id}-waits.csv", WAIT_COLUMNS, wait_rows(run))
        return csv_response(f"capacity-run-{run.id}-monthly.csv", CSV_COLUMNS, monthly_rows(run))
    results = (run.results or {}) if run.status == service.FINISHED else {}
    return render(
        request,
        "capacity/run.html",
        asker,
        model=run.model,
        plan=run.model.plan,
        run=run,
        runs=[],
        status=STATUS_TEXT.get(run.status, (run.status, "grey", "")),
        progress=progress_of(request, run),
        error_message=service.run_error(run),
        results=results,
        charts={sid: charts(doc) for sid, doc in results.get("services", {}).items()},
        fans=fans(results),
        **HELPERS,
    )


@router.get("/plans/{plan_id}/capacity/predicted", include_in_schema=False)
def predicted_page(
    request: Request,
    plan_id: int,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """The predicted discharge-delay metric per model (its CSV: the table on the metrics page)."""
    rows = service.predicted_metrics(session, asker.actor, plan_id)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-predicted-discharge-delay.csv",
            PREDICTED_COLUMNS,
            predicted_rows(rows),
        )
    return RedirectResponse(f"/plans/{plan_id}/metrics#predicted", status_code=303)


PREDICTED_COLUMNS = [
    "model_id",
    "model",
    "run_id",
    "replications",
    "seed",
    "share_on_drd",
    "share_on_drd_low",
    "share_on_drd_high",
    "mean_delay_days_of_delayed",
    "average_delay_days",
    "average_delay_days_low",
    "average_delay_days_high",
]


def predicted_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["model_id"],
            r["model"],
            r["run_id"],
            r["replications"],
            r["seed"],
            _v(r["share_on_drd"]),
            _v(r["share_on_drd"], "low"),
            _v(r["share_on_drd"], "high"),
            _v(r["mean_delay_days_of_delayed"]),
            _v(r["average_delay_days"]),
            _v(r["average_delay_days"], "low"),
            _v(r["average_delay_days"], "high"),
        ]
        for r in rows
    ]


def _run_ids(runs: str | list[int]) -> list[int]:
    if isinstance(runs, list):
        return runs
    parts = [p.strip() for p in runs.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise InputError("runs are given as ids separated by commas, e.g. 1,2", field="runs")
    return [int(p) for p in parts]


@router.get("/plans/{plan_id}/capacity/compare", include_in_schema=False)
def compare_page(
    request: Request,
    plan_id: int,
    runs: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    chosen = request.query_params.getlist("run")
    ids = _run_ids(runs) if runs else _run_ids(",".join(chosen))
    comparison = service.compare_runs(session, asker.actor, plan_id, ids)
    return render(
        request,
        "capacity_compare.html",
        asker,
        plan=comparison.plan,
        comparison=comparison,
        **HELPERS,
    )


# ---- JSON API -----------------------------------------------------------------------------------


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
        "error": service.run_error(run),
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "elapsed_seconds": run.elapsed_seconds,
    }
    if with_results:
        body["scenario_yaml"] = run.scenario_yaml
        body["results"] = run.results if run.status == service.FINISHED else None
    return body


@router.get("/api/v1/plans/{plan_id}/capacity/models", tags=["capacity"])
def api_models(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    models = service.list_models(session, asker.actor, plan_id)
    return {"plan_id": plan_id, "models": [model_json(m) for m in models]}


class ModelIn(BaseModel):
    name: str
    scenario_yaml: str


@router.post("/api/v1/plans/{plan_id}/capacity/models", status_code=201, tags=["capacity"])
def api_create_model(
    plan_id: int,
    body: ModelIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    model = service.create_model(session, asker.actor, plan_id, body.name, body.scenario_yaml)
    commit(session)
    return model_json(model)


@router.get("/api/v1/capacity/models/{model_id}", tags=["capacity"])
def api_model(
    model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    model = service.get_model(session, asker.actor, model_id)
    runs = service.runs_of(session, asker.actor, model_id)
    return {**model_json(model), "runs": [run_json(r, with_results=False) for r in runs]}


class ModelChange(BaseModel):
    version: int
    name: str | None = None
    scenario_yaml: str | None = None


@router.patch("/api/v1/capacity/models/{model_id}", tags=["capacity"])
def api_update_model(
    model_id: int,
    body: ModelChange,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    model = service.update_model(
        session, asker.actor, model_id, body.version, body.name, body.scenario_yaml
    )
    commit(session)
    return model_json(model)


class RunIn(BaseModel):
    replications: int = service.DEFAULT_REPLICATIONS
    seed: int = service.DEFAULT_SEED


@router.post("/api/v1/capacity/models/{model_id}/runs", status_code=201, tags=["capacity"])
def api_run(
    request: Request,
    model_id: int,
    body: RunIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Queue a run; it is made in the background. Follow it at `/api/v1/capacity/runs/{id}`."""
    run = service.queue_run(session, asker.actor, model_id, body.replications, body.seed)
    commit(session)
    runner_for(request.app).submit(run.id, run.replications, asker.actor)
    return run_json(run, progress=progress_of(request, run))


@router.get("/api/v1/capacity/runs/{run_id}", tags=["capacity"])
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
    return run_json(run, with_results=results, progress=progress_of(request, run))


@router.get("/api/v1/plans/{plan_id}/capacity/predicted", tags=["capacity"])
def api_predicted(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """Per capacity model of the plan, the latest finished run's predicted discharge-delay
    metric (`discharge_delay`)."""
    return {
        "plan_id": plan_id,
        "predicted": service.predicted_metrics(session, asker.actor, plan_id),
    }


@router.get("/api/v1/capacity/models/{model_id}/size", tags=["capacity"])
def api_size(
    model_id: int,
    service_id: str,
    target: str,
    replications: int = 200,
    seed: int = service.DEFAULT_SEED,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> dict[str, Any]:
    return service.size_model(
        session, asker.actor, model_id, service_id, target, replications, seed
    )


@router.get("/api/v1/plans/{plan_id}/capacity/compare", tags=["capacity"])
def api_compare(
    plan_id: int, runs: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    return service.compare_runs(session, asker.actor, plan_id, _run_ids(runs)).as_dict()
