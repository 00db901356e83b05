"""The model's interim options and settings on their forms, and a new model built on forms from
its first service."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.capacity.domain.model_form import interim_fields, settings_fields
from placeplan.capacity.domain.service_form import service_fields
from placeplan.capacity.form_pages.shown import (
    editable,
    form_page,
    shown_again,
    typed_fields,
)
from placeplan.capacity.present.forms import choices, surge_choices
from placeplan.capacity.service import form_edits
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, refusal, required_version, save
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)


# ---- an interim option


def _interim_form(
    request: Request, session: Session, asker: Who, model_id: int, code: str | None
) -> Response:
    seen = editable(session, asker, model_id)
    fields = interim_fields(code, seen.interim(code)) if code else interim_fields("", {})
    title = f"Change {fields['interim_name'] or code}" if code else "Add an interim option"
    return form_page(
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
    typed = typed_fields(form)
    editable(session, asker, model_id)
    version = required_version(form)
    title = f"Change {typed.get('interim_name') or code}" if code else "Add an interim option"
    return save(
        session,
        lambda: form_edits.save_interim(session, asker.actor, model_id, version, code, typed),
        then=f"/capacity/{model_id}/scenario#interim",
        again=shown_again(
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
    seen = editable(session, asker, model_id)
    return form_page(
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
    typed = typed_fields(form)
    editable(session, asker, model_id)
    version = required_version(form)
    return save(
        session,
        lambda: form_edits.save_settings(session, asker.actor, model_id, version, typed),
        then=f"/capacity/{model_id}/scenario",
        again=shown_again(
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
    typed = typed_fields(form)

    def again(error: Refused, status: int) -> Response:
        return _new_model_page(request, session, asker, plan_id, typed, status, error)

    return save(
        session,
        lambda: form_edits.create_on_forms(session, asker.actor, plan_id, typed),
        then=lambda model: f"/capacity/{model.id}/scenario",
        again=again,
        notice="Model added: add its other services here",
    )
