"""Pages for a plan's capacity models: edit, run, size, compare (HTML; the JSON is in `api`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.capacity import service
from placeplan.capacity.domain.sizing import COMPARISON_WORDS, MEASURE_WORDS, Target, chosen_target
from placeplan.capacity.models import CapacityRun
from placeplan.capacity.present.charts import all_charts, fans
from placeplan.capacity.present.cost_chart import (
    CHEAPEST_COLUMNS,
    cheapest_rows,
    cost_svg,
)
from placeplan.capacity.present.cost_chart import label as cost_label
from placeplan.capacity.present.format import HELPERS, STATUS_TEXT
from placeplan.capacity.present.params import run_ids, whole
from placeplan.capacity.present.tables import (
    CSV_COLUMNS,
    FAN_COLUMNS,
    PREDICTED_COLUMNS,
    WAIT_COLUMNS,
    fan_rows,
    monthly_rows,
    predicted_rows,
    wait_rows,
)
from placeplan.capacity.present.trial import trial_sentences
from placeplan.capacity.service.runner import progress_of, runner_for
from placeplan.capacity.service.sizing_jobs import SizingJob, sizing_jobs_for
from placeplan.capacity.service.trial import ModelTrial, trial_of_model
from placeplan.core.errors import Conflict, InputError
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


def _models_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    status_code: int = 200,
    error: InputError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    seen = service.plan_models(session, asker.actor, plan_id)
    return render(
        request,
        "capacity/models.html",
        asker,
        status_code=status_code,
        plan=seen.plan,
        models=seen.models,
        runs=seen.runs,
        can_edit=seen.can_edit,
        error=error,
        typed=typed or {},
        demo_name=service.DEMO_MODEL_NAME,
        **HELPERS,
    )


@router.get("/plans/{plan_id}/capacity")
def models_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _models_page(request, session, asker, plan_id)


@router.post("/plans/{plan_id}/capacity")
def models_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "name", "source", "scenario_yaml")
    text = typed["scenario_yaml"]
    if typed["source"] == "demo":
        text = service.DEMO_FILE.read_text(encoding="utf-8")

    def again(error: Refused, status: int) -> Response:
        assert isinstance(error, InputError)  # creating a model has no version to conflict with
        return _models_page(request, session, asker, plan_id, status, error=error, typed=typed)

    return save(
        session,
        lambda: service.create_model(session, asker.actor, plan_id, typed["name"], text),
        then=lambda model: f"/capacity/{model.id}",
        again=again,
    )


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
    cheapest: dict[str, Any] | None = None,
    sizing_job: SizingJob | None = None,
    trial: ModelTrial | None = None,
) -> Response:
    seen = service.model_overview(session, asker.actor, model_id, run_id)
    results = (seen.run.results or {}) if seen.run else {}
    return render(
        request,
        "capacity/model.html",
        asker,
        status_code=status_code,
        model=seen.model,
        plan=seen.model.plan,
        runs=seen.made,
        active=seen.active,
        failed=seen.failed,
        run=seen.run,
        results=results,
        charts=all_charts(results),
        fans=fans(results),
        service_ids=seen.service_ids,
        service_names=seen.service_names,
        measures=MEASURE_WORDS,
        comparisons=COMPARISON_WORDS,
        can_edit=seen.can_edit,
        error=error,
        conflict=conflict,
        typed=typed or {},
        sizing=sizing,
        sizing_job=sizing_job,
        sizing_asked=sizing_asked or {},
        cheapest=cheapest,
        cheapest_svg=cost_svg(cheapest) if cheapest else None,
        cheapest_label=cost_label,
        trial=trial_sentences(trial.trial, trial.names, trial.full_replications) if trial else None,
        defaults={"replications": service.DEFAULT_REPLICATIONS, "seed": service.DEFAULT_SEED},
        **HELPERS,
    )


def _refused(request: Request, session: Session, asker: Who, model_id: int, **shown: Any) -> Any:
    """`again` for the model page's forms: the page with the refusal (or conflict) and `shown`."""

    def again(error: Refused, status: int) -> Response:
        return _model_page(request, session, asker, model_id, status, **refusal(error), **shown)

    return again


@router.get("/capacity/{model_id}")
def model_page(
    request: Request,
    model_id: int,
    format: str | None = None,
    run: int | None = None,
    service_id: str | None = None,
    target: str | None = None,
    sizing: str | None = None,
    measure: str | None = None,
    comparison: str | None = None,
    value: str | None = None,
    cheapest: Annotated[list[str] | None, Query()] = None,
    table: str | None = None,
    trial: str | None = None,
    replications: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if trial is not None:
        asked = (replications or "").strip()
        full = int(asked) if asked.isdigit() and int(asked) > 0 else service.DEFAULT_REPLICATIONS
        made = trial_of_model(session, asker.actor, model_id, full)
        return _model_page(request, session, asker, model_id, run_id=run, trial=made)
    if format == "csv" and not cheapest:
        chosen = service.shown_run(session, asker.actor, model_id, run)
        return csv_response(
            f"capacity-model-{model_id}-run-{chosen.id}-monthly.csv",
            CSV_COLUMNS,
            monthly_rows(chosen),
        )
    if cheapest:
        return _cheapest(request, session, asker, model_id, cheapest, format, table, run)
    if service_id is not None or target is not None:
        return _start_sizing(
            request,
            session,
            asker,
            model_id,
            run,
            {
                "service_id": service_id or "",
                "target": target or "",
                "measure": measure or "",
                "comparison": comparison or "",
                "value": value or "",
            },
        )
    if sizing is not None:
        return _sizing_page(request, session, asker, model_id, sizing, run)
    return _model_page(request, session, asker, model_id, run_id=run)


def _start_sizing(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    run: int | None,
    asked: dict[str, str],
) -> Response:
    """Check the sizing asked (refused at once, with the form) and make it in the background;
    the page it leads to shows its progress, then its answer."""
    try:
        # the form picks a target from lists; `target` typed as text is the older form
        picked: str | Target = (
            asked["target"]
            if asked["target"] and not asked["measure"]
            else chosen_target(asked["measure"], asked["comparison"], asked["value"])
        )
        ask = service.ask_sizing(session, asker.actor, model_id, asked["service_id"], picked)
    except InputError as exc:  # a read: nothing to roll back
        return _model_page(
            request, session, asker, model_id, 400, error=exc, sizing_asked=asked, run_id=run
        )
    job = sizing_jobs_for(request.app).start(ask, asked)
    shown = f"&run={run}" if run is not None else ""
    return RedirectResponse(f"/capacity/{model_id}?sizing={job.id}{shown}#sizing", 303)


def _sizing_page(
    request: Request, session: Session, asker: Who, model_id: int, job_id: str, run: int | None
) -> Response:
    held = sizing_jobs_for(request.app).get(job_id, model_id)
    job = held.seen() if held is not None else None
    if job is None:
        gone = InputError(
            "that sizing is no longer held (the server keeps the latest few): ask again",
            field="service",
        )
        return _model_page(request, session, asker, model_id, 404, error=gone, run_id=run)
    if job.error is not None:
        return _model_page(
            request,
            session,
            asker,
            model_id,
            400,
            error=job.error,
            sizing_asked=job.asked,
            run_id=run,
        )
    return _model_page(
        request,
        session,
        asker,
        model_id,
        sizing=job.result,
        sizing_job=job,
        sizing_asked=job.asked,
        run_id=run,
    )


def _cheapest(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    services: list[str],
    format: str | None,
    table: str | None,
    run: int | None,
) -> Response:
    """The cheapest capacity of the services ticked (linked ones jointly), as a page section
    or its table as CSV."""
    try:
        doc = service.cheapest_for_model(session, asker.actor, model_id, services)
    except InputError as exc:  # a read: nothing to roll back
        return _model_page(request, session, asker, model_id, 400, error=exc, run_id=run)
    if format == "csv" and table == "months":
        return csv_response(
            f"capacity-model-{model_id}-cheapest-by-month.csv",
            ["month", "capacity", "total_cost_pence"],
            [
                [r["month"], " and ".join(map(str, r["capacity"])), r["total_cost_pence"]]
                for r in doc["by_month"]
            ],
        )
    if format == "csv":
        return csv_response(
            f"capacity-model-{model_id}-cheapest.csv", CHEAPEST_COLUMNS, cheapest_rows(doc)
        )
    return _model_page(request, session, asker, model_id, cheapest=doc, run_id=run)


@router.post("/capacity/{model_id}")
def model_submit(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "name", "scenario_yaml", "version")
    return save(
        session,
        lambda: service.update_model(
            session,
            asker.actor,
            model_id,
            required_version(form),
            name=typed["name"],
            scenario_yaml=typed["scenario_yaml"],
        ),
        then=f"/capacity/{model_id}",
        again=_refused(request, session, asker, model_id, typed=typed),
    )


@router.post("/capacity/{model_id}/runs")
def run_submit(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    def queued(run: CapacityRun) -> str:
        """Once the queued run is committed, hand it to the runner and follow it."""
        runner_for(request.app).submit(run.id, run.replications, asker.actor)
        return f"/capacity/runs/{run.id}"

    return save(
        session,
        lambda: service.queue_run(
            session,
            asker.actor,
            model_id,
            whole(form, "replications", service.DEFAULT_REPLICATIONS),
            whole(form, "seed", service.DEFAULT_SEED),
        ),
        then=queued,
        again=_refused(request, session, asker, model_id),
    )


@router.get("/capacity/runs/{run_id}")
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
        service.require_made(run)
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
        progress=progress_of(runner_for(request.app), run),
        error_message=service.run_error(run),
        results=results,
        charts=all_charts(results),
        fans=fans(results),
        **HELPERS,
    )


@router.get("/plans/{plan_id}/capacity/predicted")
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


@router.get("/plans/{plan_id}/capacity/compare")
def compare_page(
    request: Request,
    plan_id: int,
    runs: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    chosen = request.query_params.getlist("run")
    ids = run_ids(runs) if runs else run_ids(",".join(chosen))
    comparison = service.compare_runs(session, asker.actor, plan_id, ids)
    return render(
        request,
        "capacity/compare.html",
        asker,
        plan=comparison.plan,
        comparison=comparison,
        **HELPERS,
    )
