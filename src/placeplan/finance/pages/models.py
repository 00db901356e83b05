"""Pages of a plan's financial models: its tables in the seed's layout, the bridge as a waterfall,
the position by year as lines, each with its data and the workbook; a line's form; scenarios."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError, NotFound
from placeplan.finance import service
from placeplan.finance.domain.model import year_label
from placeplan.finance.io.xlsx import workbook_bytes
from placeplan.finance.present.page import BASE_CHOICES, line_form, model_page, settings_form
from placeplan.finance.present.tables import page_tables, side_by_side
from placeplan.plans.service import get_plan
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import Refused, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


@router.get("/plans/{plan_id}/finance")
def plan_finance(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = get_plan(session, asker.actor, plan_id)
    models = service.plan_models(session, asker.actor, plan_id)
    allocations = service.plan_allocations(session, asker.actor, plan_id)
    return render(
        request,
        "finance/models.html",
        asker,
        plan=plan,
        models=models,
        allocations=allocations,
        can_edit=service.can_edit(asker.actor, plan),
    )


def _model_page(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    status_code: int = 200,
    error: InputError | None = None,
    typed: dict[str, str] | None = None,
    draws: int = 200,
    seed: int = 1,
) -> Response:
    record = service.get_model(session, asker.actor, model_id)
    seen = service.computed(record)
    return render(
        request,
        "finance/model.html",
        asker,
        status_code=status_code,
        record=record,
        plan=record.plan,
        page=model_page(seen, draws, seed),
        stale=service.staleness(session, asker.actor, record),
        scenarios=[m for m in service.plan_models(session, asker.actor, record.plan_id)],
        can_edit=service.can_edit(asker.actor, record.plan),
        error=error,
        typed=typed or {},
    )


@router.get("/finance/{finance_id}")
def finance_page(
    request: Request,
    finance_id: int,
    format: str | None = None,
    table: str | None = None,
    draws: int = 200,
    seed: int = 1,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if format == "xlsx":
        record = service.get_model(session, asker.actor, finance_id)
        content = workbook_bytes(record.name, service.computed(record).result)
        return download(content, XLSX, f"financial-model-{finance_id}.xlsx")
    if format == "csv":
        seen = service.computed(service.get_model(session, asker.actor, finance_id))
        if table == "sensitivity":
            swings = model_page(seen).swings
            return csv_response(
                f"financial-model-{finance_id}-sensitivity.csv",
                (
                    "Assumption",
                    "Range",
                    "At the low end £000",
                    "At the high end £000",
                    "Swing £000",
                ),
                swings,
            )
        for shown_table in page_tables(seen.result):
            if shown_table.key == table:
                return csv_response(
                    f"financial-model-{finance_id}-{shown_table.key}.csv",
                    ("£000", *shown_table.columns),
                    [(label, *cells) for label, cells, _ in shown_table.rows],
                )
        raise NotFound(f"no table {table!r}")
    try:
        return _model_page(request, session, asker, finance_id, draws=draws, seed=seed)
    except InputError as exc:  # a read: nothing to roll back
        return _model_page(request, session, asker, finance_id, 400, error=exc)


@router.post("/finance/{finance_id}/scenarios")
def scenario_submit(
    request: Request,
    finance_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = {"name": str(form.get("name") or "")}

    def again(error: Refused, status: int) -> Response:
        assert isinstance(error, InputError)  # a copy has no version to conflict with
        return _model_page(request, session, asker, finance_id, status, error=error, typed=typed)

    return save(
        session,
        lambda: service.copy_to_scenario(session, asker.actor, finance_id, typed["name"]),
        then=lambda model: f"/finance/{model.id}",
        again=again,
        notice="Scenario made",
    )


def _line_page(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    key: str,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    record = service.get_model(session, asker.actor, model_id)
    model = service.model_of(record)
    try:
        chosen = model.line(key)
    except KeyError as exc:
        raise NotFound(f"no line {key!r}") from exc
    values = typed if typed is not None else line_form(model, chosen)
    return render(
        request,
        "finance/line.html",
        asker,
        status_code=status_code,
        record=record,
        plan=record.plan,
        line=chosen,
        years=[(y, year_label(y)) for y in model.years],
        values=values,
        bases=BASE_CHOICES,
        version=conflict.current_version if conflict else record.version,
        can_edit=service.can_edit(asker.actor, record.plan),
        error=error,
        conflict=conflict,
    )


@router.get("/finance/{finance_id}/lines/{line}")
def line_page(
    request: Request,
    finance_id: int,
    line: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _line_page(request, session, asker, finance_id, line)


@router.post("/finance/{finance_id}/lines/{line}")
def line_submit(
    request: Request,
    finance_id: int,
    line: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed: dict[str, Any] = {
        k: str(v) for k, v in form.items() if k not in ("csrf_token", "version")
    }

    def again(error: Refused, status: int) -> Response:
        return _line_page(
            request, session, asker, finance_id, line, status, typed=typed, **refusal(error)
        )

    return save(
        session,
        lambda: service.update_line(
            session, asker.actor, finance_id, required_version(form), line, typed
        ),
        then=f"/finance/{finance_id}#assumptions",
        again=again,
    )


@router.get("/plans/{plan_id}/finance/compare")
def compare_page(
    request: Request,
    plan_id: int,
    models: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = get_plan(session, asker.actor, plan_id)
    chosen = [r.id for r in service.plan_models(session, asker.actor, plan_id)]
    if models.strip():
        try:
            chosen = [int(part) for part in models.split(",") if part.strip()]
        except ValueError as exc:
            raise NotFound(f"no models {models!r}") from exc
    seen = [
        c
        for c in service.compare_models(session, asker.actor, chosen)
        if c.record.plan_id == plan_id
    ]
    return render(request, "finance/compare.html", asker, plan=plan, comparison=side_by_side(seen))


def _settings_page(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    record = service.get_model(session, asker.actor, model_id)
    model = service.model_of(record)
    return render(
        request,
        "finance/settings.html",
        asker,
        status_code=status_code,
        record=record,
        plan=record.plan,
        years=[(y, year_label(y)) for y in model.years],
        values=typed if typed is not None else settings_form(model),
        version=conflict.current_version if conflict else record.version,
        can_edit=service.can_edit(asker.actor, record.plan),
        error=error,
        conflict=conflict,
    )


@router.get("/finance/{finance_id}/settings")
def settings_page(
    request: Request, finance_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _settings_page(request, session, asker, finance_id)


@router.post("/finance/{finance_id}/settings")
def settings_submit(
    request: Request,
    finance_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "version")}

    def again(error: Refused, status: int) -> Response:
        return _settings_page(
            request, session, asker, finance_id, status, typed=typed, **refusal(error)
        )

    return save(
        session,
        lambda: service.update_settings(
            session, asker.actor, finance_id, required_version(form), typed
        ),
        then=f"/finance/{finance_id}#assumptions",
        again=again,
    )
