"""Pages that build and edit a capacity model on forms (a service, an interim option, the
settings at a time); the YAML stays what is stored, and its edit box stays on the model's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.capacity.domain.model_form import interim_fields, settings_fields
from placeplan.capacity.domain.service_form import service_fields
from placeplan.capacity.present.forms import choices, interim_rows, service_rows, surge_choices
from placeplan.capacity.service import form_edits
from placeplan.capacity.service.form_edits import ScenarioForms
from placeplan.core.errors import Forbidden
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, refusal, required_version, save, version_again
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)

NOT_TYPED = {"csrf_token", "version"}


def _typed(form: FormData) -> dict[str, str]:
    """What was typed, every field as text; the surge's ticked months as one list."""
    typed = {k: str(form.get(k) or "") for k in form if k not in NOT_TYPED}
    typed["surge_months"] = ",".join(str(m) for m in form.getlist("surge_months") if m)
    return typed


def _editable(session: Session, asker: Who, model_id: int) -> ScenarioForms:
    seen = form_edits.scenario_forms(session, asker.actor, model_id)
    if not seen.can_edit:
        raise Forbidden("only an editor of this plan's area may change its capacity models")
    return seen


def _page(
    request: Request,
    asker: Who,
    template: str,
    seen: ScenarioForms,
    status_code: int = 200,
    refused: Refused | None = None,
    version: int | None = None,
    **shown: Any,
) -> Response:
    return render(
        request,
        template,
        asker,
        status_code=status_code,
        model=seen.model,
        plan=seen.model.plan,
        version=version if version is not None else seen.model.version,
        has_comments=seen.has_comments,
        **choices(seen.data, seen.names),
        **refusal(refused),
        **shown,
    )


def _again(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    template: str,
    started: int,
    **shown: Any,
) -> Callable[[Refused, int], Response]:
    def again(error: Refused, status: int) -> Response:
        seen = form_edits.scenario_forms(session, asker.actor, model_id)
        version = version_again(error, started, seen.model.version)
        return _page(request, asker, template, seen, status, error, version, **shown)

    return again


@router.get("/capacity/{model_id}/scenario")
def scenario_page(
    request: Request, model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    seen = form_edits.scenario_forms(session, asker.actor, model_id)
    return _page(
        request,
        asker,
        "capacity/scenario_forms.html",
        seen,
        can_edit=seen.can_edit,
        services=service_rows(seen.data, seen.names),
        interim_options=interim_rows(seen.data),
        settings=settings_fields(seen.data),
    )


# ---- a service


def _service_form(
    request: Request,
    session: Session,
    asker: Who,
    model_id: int,
    code: str | None,
    typed: dict[str, str] | None = None,
) -> Response:
    seen = _editable(session, asker, model_id)
    fields = typed if typed is not None else service_fields(seen.service(code) if code else {})
    return _page(
        request, asker, "capacity/service_form.html", seen, **_service_shown(seen, code, fields)
    )


def _service_shown(seen: ScenarioForms, code: str | None, fields: dict[str, str]) -> dict[str, Any]:
    if code is None and not fields.get("kind"):
        fields = {**fields, "kind": "beds", "capacity_by": "year", "arrivals_by": "year"}
    return {
        "code": code,
        "fields": fields,
        "others": {c: n for c, n in seen.names.items() if c != code},
        "surge_months": surge_choices(seen.data, fields.get("surge_months", "")),
        "title": f"Change {seen.names.get(code, code)}" if code else "Add a service",
    }


@router.get("/capacity/{model_id}/services/new")
def service_new(
    request: Request, model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _service_form(request, session, asker, model_id, None)


@router.get("/capacity/{model_id}/services/{service_code}")
def service_page(
    request: Request,
    model_id: int,
    service_code: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _service_form(request, session, asker, model_id, service_code)


def _service_save(
    request: Request,
    form: FormData,
    session: Session,
    asker: Who,
    model_id: int,
    code: str | None,
) -> Response:
    typed = _typed(form)
    seen = _editable(session, asker, model_id)
    version = required_version(form)
    shown = _service_shown(seen, code, typed)
    return save(
        session,
        lambda: form_edits.save_service(session, asker.actor, model_id, version, code, typed),
        then=f"/capacity/{model_id}/scenario#services",
        again=_again(
            request, session, asker, model_id, "capacity/service_form.html", version, **shown
        ),
        notice="Service saved",
    )


@router.post("/capacity/{model_id}/services/new")
def service_add(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _service_save(request, form, session, asker, model_id, None)


@router.post("/capacity/{model_id}/services/{service_code}")
def service_submit(
    request: Request,
    model_id: int,
    service_code: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _service_save(request, form, session, asker, model_id, service_code)


# ---- removing a service or an interim option


def _remove_page(
    request: Request, session: Session, asker: Who, model_id: int, what: str, code: str
) -> Response:
    seen = _editable(session, asker, model_id)
    if what == "service":
        name = seen.names.get(seen.service(code)["id"], code)
        routed = [seen.names[s["id"]] for s in seen.services if code in (s.get("onward") or {})]
    else:
        name = str(seen.interim(code).get("name") or code)
        routed = []
    return _page(
        request,
        asker,
        "capacity/remove.html",
        seen,
        what=what,
        code=code,
        shown_name=name,
        routed=routed,
    )


@router.get("/capacity/{model_id}/services/{service_code}/remove")
def service_remove_page(
    request: Request,
    model_id: int,
    service_code: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _remove_page(request, session, asker, model_id, "service", service_code)


@router.post("/capacity/{model_id}/services/{service_code}/remove")
def service_remove(
    request: Request,
    model_id: int,
    service_code: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    seen = _editable(session, asker, model_id)
    version = required_version(form)
    name = seen.names.get(seen.service(service_code)["id"], service_code)
    return save(
        session,
        lambda: form_edits.remove_service(session, asker.actor, model_id, version, service_code),
        then=f"/capacity/{model_id}/scenario#services",
        again=_again(
            request,
            session,
            asker,
            model_id,
            "capacity/remove.html",
            version,
            what="service",
            code=service_code,
            shown_name=name,
            routed=[],
        ),
        notice="Service removed",
    )


@router.get("/capacity/{model_id}/interim/{interim_code}/remove")
def interim_remove_page(
    request: Request,
    model_id: int,
    interim_code: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _remove_page(request, session, asker, model_id, "interim", interim_code)


@router.post("/capacity/{model_id}/interim/{interim_code}/remove")
def interim_remove(
    request: Request,
    model_id: int,
    interim_code: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    seen = _editable(session, asker, model_id)
    version = required_version(form)
    name = str(seen.interim(interim_code).get("name") or interim_code)
    return save(
        session,
        lambda: form_edits.remove_interim(session, asker.actor, model_id, version, interim_code),
        then=f"/capacity/{model_id}/scenario#interim",
        again=_again(
            request,
            session,
            asker,
            model_id,
            "capacity/remove.html",
            version,
            what="interim",
            code=interim_code,
            shown_name=name,
            routed=[],
        ),
        notice="Interim option removed",
    )


# ---- an interim option


def _interim_form(
    request: Request, session: Session, asker: Who, model_id: int, code: str | None
) -> Response:
    seen = _editable(session, asker, model_id)
    fields = interim_fields(code, seen.interim(code)) if code else interim_fields("", {})
    title = f"Change {fields['interim_name'] or code}" if code else "Add an interim option"
    return _page(
        request, asker, "capacity/interim_form.html", seen, code=code, fields=fields, title=title
    )


@router.get("/capacity/{model_id}/interim/new")
def interim_new(
    request: Request, model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _interim_form(request, session, asker, model_id, None)


@router.get("/capacity/{model_id}/interim/{interim_code}")
def interim_page(
    request: Request,
    model_id: int,
    interim_code: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _interim_form(request, session, asker, model_id, interim_code)


def _interim_save(
    request: Request,
    form: FormData,
    session: Session,
    asker: Who,
    model_id: int,
    code: str | None,
) -> Response:
    typed = _typed(form)
    _editable(session, asker, model_id)
    version = required_version(form)
    title = f"Change {typed.get('interim_name') or code}" if code else "Add an interim option"
    return save(
        session,
        lambda: form_edits.save_interim(session, asker.actor, model_id, version, code, typed),
        then=f"/capacity/{model_id}/scenario#interim",
        again=_again(
            request,
            session,
            asker,
            model_id,
            "capacity/interim_form.html",
            version,
            code=code,
            fields=typed,
            title=title,
        ),
        notice="Interim option saved",
    )


@router.post("/capacity/{model_id}/interim/new")
def interim_add(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _interim_save(request, form, session, asker, model_id, None)


@router.post("/capacity/{model_id}/interim/{interim_code}")
def interim_submit(
    request: Request,
    model_id: int,
    interim_code: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _interim_save(request, form, session, asker, model_id, interim_code)


# ---- the settings


@router.get("/capacity/{model_id}/settings")
def settings_page(
    request: Request, model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    seen = _editable(session, asker, model_id)
    return _page(
        request, asker, "capacity/settings_form.html", seen, fields=settings_fields(seen.data)
    )


@router.post("/capacity/{model_id}/settings")
def settings_submit(
    request: Request,
    model_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = _typed(form)
    _editable(session, asker, model_id)
    version = required_version(form)
    return save(
        session,
        lambda: form_edits.save_settings(session, asker.actor, model_id, version, typed),
        then=f"/capacity/{model_id}/scenario",
        again=_again(
            request,
            session,
            asker,
            model_id,
            "capacity/settings_form.html",
            version,
            fields=typed,
        ),
        notice="Settings saved",
    )


# ---- a new model, built on forms from its first service


def _new_model_page(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    fields: dict[str, str],
    status_code: int = 200,
    refused: Refused | None = None,
) -> Response:
    plan = form_edits.plan_to_edit(session, asker.actor, plan_id)
    return render(
        request,
        "capacity/new_model.html",
        asker,
        status_code=status_code,
        plan=plan,
        model=None,
        fields=fields,
        others={},
        surge_months=surge_choices(_calendar(fields), fields.get("surge_months", "")),
        **choices(_calendar(fields), {}),
        **refusal(refused),
    )


def _calendar(fields: dict[str, str]) -> dict[str, object]:
    """The new model's calendar as typed, for its months' labels (none when it does not read)."""
    month, year = fields.get("start_month", ""), fields.get("start_year", "")
    data: dict[str, object] = {}
    if month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) == 4:
        data["start"] = f"{year}-{int(month):02d}"
    if fields.get("days", "").isdigit():
        data["days"] = int(fields["days"])
    return data


NEW_MODEL = {"days": "365", "warm_up_days": "60", "kind": "beds", "source": "discharge"}


@router.get("/plans/{plan_id}/capacity/new")
def new_model_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    fields = {**service_fields({}), **NEW_MODEL, "arrivals_by": "year", "capacity_by": "year"}
    return _new_model_page(request, session, asker, plan_id, fields)


@router.post("/plans/{plan_id}/capacity/new")
def new_model_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    form_edits.plan_to_edit(session, asker.actor, plan_id)
    typed = _typed(form)

    def again(error: Refused, status: int) -> Response:
        return _new_model_page(request, session, asker, plan_id, typed, status, error)

    return save(
        session,
        lambda: form_edits.create_on_forms(session, asker.actor, plan_id, typed),
        then=lambda model: f"/capacity/{model.id}/scenario",
        again=again,
        notice="Model added: add its other services here",
    )
