"""Pages and API to change a plan's pledges: edit or add a pledge (with who is accountable), add,
edit and remove a measure. Editors of the plan's area or system only; every save goes through
pledges.editing (audited); an edit carries the version its form was opened at, and a stale one
shows what changed and keeps what was typed, overwriting nothing."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.plans.models import Plan
from placeplan.pledges import editing, rules, service
from placeplan.pledges.models import Pledge, PledgeMeasure
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.forms import form_version
from placeplan.web.templating import render

router = APIRouter()

PLEDGE_TEXTS = ["title", "statement", "priority", "description"]
MEASURE_TEXTS = [
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_period",
    "target_value",
    "target_period",
    "metric_key",
    "source",
    "illustrative",
]
_PARTNER = re.compile(r"^accountable\[(\d+)\]\.(body_id|name)$")
EXTRA_ROWS = 1  # blank partnership rows offered below the current ones


def field_id(field: str | None) -> str:
    """The id of the input an error about `field` sends the reader to."""
    if not field:
        return "maincontent"
    if match := _PARTNER.match(field):
        return f"partner-{match[1]}-{'body' if match[2] == 'body_id' else 'name'}"
    return field


def _errors(error: InputError | None) -> list[dict[str, str]]:
    if error is None:
        return []
    return [{"field": error.field or "", "href": field_id(error.field), "message": error.message}]


def _number(value: Any) -> str:
    return "" if value is None else format(value.normalize(), "f")


# ---- pledges ----------------------------------------------------------------------------------


def _pledge_values(session: Session, pledge: Pledge) -> dict[str, Any]:
    partners = [
        {"body_id": str(p.body_id or ""), "name": p.name}
        for p in editing.current_partnerships(session, pledge)
    ]
    return {
        **{k: getattr(pledge, k) or "" for k in PLEDGE_TEXTS},
        "partners": partners + [{"body_id": "", "name": ""}] * EXTRA_ROWS,
    }


def _typed_pledge(form: FormData) -> dict[str, Any]:
    rows = sorted({int(m[1]) for k in form if (m := re.match(r"^partner-(\d+)-(?:body|name)$", k))})
    partners = [
        {
            "body_id": str(form.get(f"partner-{n}-body") or ""),
            "name": str(form.get(f"partner-{n}-name") or ""),
        }
        for n in rows
    ]
    return {**{k: str(form.get(k) or "") for k in PLEDGE_TEXTS}, "partners": partners}


def _partners_in(typed: dict[str, Any]) -> list[editing.PartnershipIn]:
    out = []
    for row in typed["partners"]:
        body = row["body_id"].strip()
        if body and not body.isdigit():
            raise InputError("Choose a governance body from the list", field="accountable")
        out.append(editing.PartnershipIn(row["name"], int(body) if body else None))
    return out


def _pledge_form(
    request: Request,
    session: Session,
    asker: Who,
    plan: Plan,
    values: dict[str, Any],
    pledge: Pledge | None = None,
    version: int | None = None,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
) -> Response:
    current = [int(p["body_id"]) for p in values["partners"] if p["body_id"].isdigit()]
    return render(
        request,
        "pledges/edit_pledge.html",
        asker,
        status_code=status_code,
        plan=plan,
        pledge=pledge,
        values=values,
        version=version,
        errors=_errors(error),
        error=error,
        error_id=field_id(error.field) if error else None,
        conflict=conflict,
        bodies=editing.bodies_for(session, plan, current),
    )


@router.get("/plans/{plan_id}/pledges/new", include_in_schema=False)
def new_pledge_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    values = {
        **{k: "" for k in PLEDGE_TEXTS},
        "partners": [{"body_id": "", "name": ""}] * (1 + EXTRA_ROWS),
    }
    return _pledge_form(request, session, asker, plan, values)


@router.post("/plans/{plan_id}/pledges/new", include_in_schema=False)
def new_pledge_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    typed = _typed_pledge(form)
    try:
        pledge = editing.add_pledge(session, asker.actor, plan_id, typed, _partners_in(typed))
        ref = pledge.ref
        commit(session)
    except InputError as exc:
        session.rollback()
        plan = editing.editable_plan(session, asker.actor, plan_id)
        return _pledge_form(request, session, asker, plan, typed, status_code=400, error=exc)
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}", status_code=303)


@router.get("/plans/{plan_id}/pledges/{ref}/edit", include_in_schema=False)
def edit_pledge_page(
    request: Request,
    plan_id: int,
    ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    pledge = editing.find_pledge(session, plan_id, ref)
    return _pledge_form(
        request, session, asker, plan, _pledge_values(session, pledge), pledge, pledge.version
    )


@router.post("/plans/{plan_id}/pledges/{ref}/edit", include_in_schema=False)
def edit_pledge_submit(
    request: Request,
    plan_id: int,
    ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    typed = _typed_pledge(form)
    version = form_version(form)
    try:
        editing.update_pledge(
            session,
            asker.actor,
            plan_id,
            ref,
            version,
            typed,
            _partners_in(typed),
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        plan = editing.editable_plan(session, asker.actor, plan_id)
        pledge = editing.find_pledge(session, plan_id, ref)
        conflict = exc if isinstance(exc, Conflict) else None
        return _pledge_form(
            request,
            session,
            asker,
            plan,
            typed,
            pledge,
            # Saving again after a conflict replaces theirs: the form now carries their version.
            conflict.current_version if conflict else version,
            409 if conflict else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=conflict,
        )
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}", status_code=303)


# ---- measures ---------------------------------------------------------------------------------


def _measure_values(measure: PledgeMeasure) -> dict[str, str]:
    return {
        "name": measure.name,
        "unit": measure.unit or "",
        "direction": measure.direction or "",
        "baseline_value": _number(measure.baseline_value),
        "baseline_period": measure.baseline_period or "",
        "target_value": _number(measure.target_value),
        "target_period": measure.target_period or "",
        "metric_key": measure.metric_key or "",
        "source": measure.source or "",
        "illustrative": "yes" if measure.illustrative else "",
    }


def _typed_measure(form: FormData) -> dict[str, str]:
    return {k: str(form.get(k) or "") for k in MEASURE_TEXTS}


def _measure_form(
    request: Request,
    session: Session,
    asker: Who,
    plan: Plan,
    pledge: Pledge,
    values: dict[str, str],
    measure: PledgeMeasure | None = None,
    version: int | None = None,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
) -> Response:
    return render(
        request,
        "pledges/edit_measure.html",
        asker,
        status_code=status_code,
        plan=plan,
        pledge=pledge,
        measure=measure,
        values=values,
        version=version,
        errors=_errors(error),
        error=error,
        conflict=conflict,
        metrics=editing.metric_choices(session),
        directions=rules.DIRECTIONS,
    )


@router.get("/plans/{plan_id}/pledges/{ref}/measures/new", include_in_schema=False)
def new_measure_page(
    request: Request,
    plan_id: int,
    ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    pledge = editing.find_pledge(session, plan_id, ref)
    values = {k: "" for k in MEASURE_TEXTS}
    return _measure_form(request, session, asker, plan, pledge, values)


@router.post("/plans/{plan_id}/pledges/{ref}/measures/new", include_in_schema=False)
def new_measure_submit(
    request: Request,
    plan_id: int,
    ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    typed = _typed_measure(form)
    try:
        editing.add_measure(session, asker.actor, plan_id, ref, typed)
        commit(session)
    except InputError as exc:
        session.rollback()
        plan = editing.editable_plan(session, asker.actor, plan_id)
        pledge = editing.find_pledge(session, plan_id, ref)
        return _measure_form(
            request, session, asker, plan, pledge, typed, status_code=400, error=exc
        )
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}#measures", status_code=303)


@router.get("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/edit", include_in_schema=False)
def edit_measure_page(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
    return _measure_form(
        request,
        session,
        asker,
        plan,
        measure.pledge,
        _measure_values(measure),
        measure,
        measure.version,
    )


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/edit", include_in_schema=False)
def edit_measure_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    typed = _typed_measure(form)
    version = form_version(form)
    try:
        editing.update_measure(
            session,
            asker.actor,
            plan_id,
            ref,
            measure_ref,
            version,
            typed,
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        plan = editing.editable_plan(session, asker.actor, plan_id)
        measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
        conflict = exc if isinstance(exc, Conflict) else None
        return _measure_form(
            request,
            session,
            asker,
            plan,
            measure.pledge,
            typed,
            measure,
            conflict.current_version if conflict else version,
            409 if conflict else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=conflict,
        )
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}#measures", status_code=303)


def _remove_page(
    request: Request,
    asker: Who,
    plan: Plan,
    measure: PledgeMeasure,
    version: int,
    status_code: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
) -> Response:
    return render(
        request,
        "pledges/remove_measure.html",
        asker,
        status_code=status_code,
        plan=plan,
        pledge=measure.pledge,
        measure=measure,
        version=version,
        errors=_errors(error),
        conflict=conflict,
    )


@router.get("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/remove", include_in_schema=False)
def remove_measure_page(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
    return _remove_page(request, asker, plan, measure, measure.version)


@router.post(
    "/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/remove", include_in_schema=False
)
def remove_measure_submit(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    version = form_version(form)
    try:
        editing.remove_measure(
            session,
            asker.actor,
            plan_id,
            ref,
            measure_ref,
            version,
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        plan = editing.editable_plan(session, asker.actor, plan_id)
        measure = service.find_measure(session, asker.actor, plan_id, ref, measure_ref)
        conflict = exc if isinstance(exc, Conflict) else None
        return _remove_page(
            request,
            asker,
            plan,
            measure,
            measure.version if conflict else (version or 0),
            409 if conflict else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=conflict,
        )
    return RedirectResponse(f"/plans/{plan_id}/pledges/{ref}#measures", status_code=303)


# ---- JSON API ---------------------------------------------------------------------------------


class PartnershipBody(BaseModel):
    name: str | None = None
    body_id: int | None = None


class PledgeBody(BaseModel):
    title: str
    statement: str
    priority: str | None = None
    description: str | None = None
    accountable: list[PartnershipBody]


class PledgeUpdateBody(PledgeBody):
    version: int


class MeasureBody(BaseModel):
    name: str
    unit: str | None = None
    direction: str | None = None
    baseline_value: str | None = None
    baseline_period: str | None = None
    target_value: str | None = None
    target_period: str | None = None
    metric: str | None = None
    source: str | None = None
    illustrative: bool = False

    def values(self) -> dict[str, Any]:
        given = self.model_dump()
        given["metric_key"] = given.pop("metric")
        return given


class MeasureUpdateBody(MeasureBody):
    version: int


def _partners(body: PledgeBody) -> list[editing.PartnershipIn]:
    return [editing.PartnershipIn(p.name, p.body_id) for p in body.accountable]


def _pledge_out(session: Session, asker: Who, plan_id: int, ref: str) -> dict[str, Any]:
    from placeplan.pledges import stored

    plan, view = service.get_pledge(session, asker.actor, plan_id, ref)
    stored.attach(session, plan, [view])
    out = service.pledge_json(view, with_interventions=True)
    out["version"] = view.pledge.version
    return out


@router.post("/api/v1/plans/{plan_id}/pledges", status_code=201, tags=["pledges"])
def api_add_pledge(
    plan_id: int,
    body: PledgeBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Add a pledge, numbered after the plan's last. `accountable`: at least one partnership,
    each a governance body's id (`body_id`, of the plan's area or system), a `name`, or both."""
    pledge = editing.add_pledge(session, asker.actor, plan_id, body.model_dump(), _partners(body))
    ref = pledge.ref
    commit(session)
    return _pledge_out(session, asker, plan_id, ref)


@router.put("/api/v1/plans/{plan_id}/pledges/{ref}", tags=["pledges"])
def api_update_pledge(
    plan_id: int,
    ref: str,
    body: PledgeUpdateBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Change a pledge's title, statement, priority, description and accountable partnerships.
    `version` is the pledge's version you read; a stale one answers 409 with what changed."""
    editing.update_pledge(
        session, asker.actor, plan_id, ref, body.version, body.model_dump(), _partners(body)
    )
    commit(session)
    return _pledge_out(session, asker, plan_id, ref)


def _measure_out(
    session: Session, asker: Who, plan_id: int, measure: PledgeMeasure
) -> dict[str, Any]:
    from placeplan.pledges import stored

    view = service.MeasureView(measure, service.assess(measure))
    plan = session.get(Plan, plan_id)
    assert plan is not None
    view.stored = stored.figures_for(session, plan, [measure]).get(measure.id)
    return service.measure_json(view)


@router.post("/api/v1/plans/{plan_id}/pledges/{ref}/measures", status_code=201, tags=["pledges"])
def api_add_measure(
    plan_id: int,
    ref: str,
    body: MeasureBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Add a measure to a pledge, numbered after its last (5.1, 5.2, ...). Figures are text
    ("95.5"), periods as the plan writes them ("2024-25", "2024-25 Q2", "2024-09")."""
    measure = editing.add_measure(session, asker.actor, plan_id, ref, body.values())
    commit(session)
    return _measure_out(session, asker, plan_id, measure)


@router.put(
    "/api/v1/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/definition", tags=["pledges"]
)
def api_update_measure(
    plan_id: int,
    ref: str,
    measure_ref: str,
    body: MeasureUpdateBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Change a measure's definition: name, unit, direction, baseline and target with their
    periods, linked catalogue metric, source, illustrative. (PUT on the measure itself records
    its latest value.) A stale `version` answers 409 with what changed."""
    measure = editing.update_measure(
        session, asker.actor, plan_id, ref, measure_ref, body.version, body.values()
    )
    commit(session)
    return _measure_out(session, asker, plan_id, measure)


@router.delete("/api/v1/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}", tags=["pledges"])
def api_remove_measure(
    plan_id: int,
    ref: str,
    measure_ref: str,
    version: int,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Remove a measure (`?version=` the version you read). A pledge's only measure cannot be
    removed (400): add its replacement first. The removal is in the audit log."""
    editing.remove_measure(session, asker.actor, plan_id, ref, measure_ref, version)
    commit(session)
    return {"removed": measure_ref, "pledge": ref, "plan_id": plan_id}
