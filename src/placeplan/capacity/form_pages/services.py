"""The model's services in words, and a service's form: add, change, remove (an interim option's
removal too: the same confirmation page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.capacity.domain.model_form import settings_fields
from placeplan.capacity.domain.service_form import service_fields
from placeplan.capacity.form_pages.shown import (
    editable,
    form_page,
    shown_again,
    typed_fields,
)
from placeplan.capacity.present.forms import interim_rows, service_rows, surge_choices
from placeplan.capacity.service import form_edits
from placeplan.capacity.service.form_edits import ScenarioForms
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import required_version, save

router = APIRouter(include_in_schema=False)


@router.get("/capacity/{model_id}/scenario")
def scenario_page(
    request: Request, model_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    seen = form_edits.scenario_forms(session, asker.actor, model_id)
    return form_page(
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
    seen = editable(session, asker, model_id)
    fields = typed if typed is not None else service_fields(seen.service(code) if code else {})
    return form_page(
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
    typed = typed_fields(form)
    seen = editable(session, asker, model_id)
    version = required_version(form)
    shown = _service_shown(seen, code, typed)
    return save(
        session,
        lambda: form_edits.save_service(session, asker.actor, model_id, version, code, typed),
        then=f"/capacity/{model_id}/scenario#services",
        again=shown_again(
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
    seen = editable(session, asker, model_id)
    if what == "service":
        name = seen.names.get(seen.service(code)["id"], code)
        routed = [seen.names[s["id"]] for s in seen.services if code in (s.get("onward") or {})]
    else:
        name = str(seen.interim(code).get("name") or code)
        routed = []
    return form_page(
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
    return _remove(request, form, session, asker, model_id, "service", service_code)


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
    return _remove(request, form, session, asker, model_id, "interim", interim_code)


def _remove(
    request: Request,
    form: FormData,
    session: Session,
    asker: Who,
    model_id: int,
    what: str,
    code: str,
) -> Response:
    """Remove a service or an interim option (`what`), showing the confirmation again if the
    removal is refused."""
    seen = editable(session, asker, model_id)
    version = required_version(form)
    if what == "service":
        name = seen.names.get(seen.service(code)["id"], code)
        remove, anchor, notice = form_edits.remove_service, "services", "Service removed"
    else:
        name = str(seen.interim(code).get("name") or code)
        remove, anchor, notice = form_edits.remove_interim, "interim", "Interim option removed"
    return save(
        session,
        lambda: remove(session, asker.actor, model_id, version, code),
        then=f"/capacity/{model_id}/scenario#{anchor}",
        again=shown_again(
            request,
            session,
            asker,
            model_id,
            "capacity/remove.html",
            version,
            what=what,
            code=code,
            shown_name=name,
            routed=[],
        ),
        notice=notice,
    )
