"""Pages to change a plan's pledges: edit or add a pledge (with who is accountable), add, edit
and remove a measure. Editors of the plan's area or system only; every save goes through
pledges.service.editing (audited) and web.forms.save; an edit carries the version its form was
opened at, and a stale one shows what changed and keeps what was typed, overwriting nothing."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.plans.models import Plan
from placeplan.pledges.domain.status import DIRECTIONS
from placeplan.pledges.models import Pledge, PledgeMeasure
from placeplan.pledges.present import forms
from placeplan.pledges.service import editing, find_measure
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)


def _typed_pledge(form: FormData) -> dict[str, Any]:
    rows = sorted({int(m[1]) for k in form if (m := re.match(r"^partner-(\d+)-(?:body|name)$", k))})
    partners = [
        {
            "body_id": str(form.get(f"partner-{n}-body") or ""),
            "name": str(form.get(f"partner-{n}-name") or ""),
        }
        for n in rows
    ]
    return {**form_text(form, *forms.PLEDGE_TEXTS), "partners": partners}


def _partners_in(typed: dict[str, Any]) -> list[editing.PartnershipIn]:
    out = []
    for row in typed["partners"]:
        body = row["body_id"].strip()
        if body and not body.isdigit():
            raise InputError("Choose a governance body from the list", field="accountable")
        out.append(editing.PartnershipIn(row["name"], int(body) if body else None))
    return out


def _refusal(refused: Refused | None) -> dict[str, Any]:
    shown = refusal(refused)
    return {"errors": forms.errors(shown["error"]), **shown}


# Pledges


def _pledge_form(
    request: Request,
    session: Session,
    asker: Who,
    plan: Plan,
    values: dict[str, Any],
    pledge: Pledge | None = None,
    version: int | None = None,
    status_code: int = 200,
    refused: Refused | None = None,
) -> Response:
    shown = _refusal(refused)
    return render(
        request,
        "pledges/edit_pledge.html",
        asker,
        status_code=status_code,
        plan=plan,
        pledge=pledge,
        values=values,
        version=version,
        error_id=forms.field_id(shown["error"].field) if shown["error"] else None,
        bodies=editing.bodies_for(session, plan, forms.chosen_bodies(values)),
        **shown,
    )


@router.get("/plans/{plan_id}/pledges/new")
def new_pledge_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    return _pledge_form(request, session, asker, plan, forms.blank_pledge())


@router.post("/plans/{plan_id}/pledges/new")
def new_pledge_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    typed = _typed_pledge(form)

    def again(refused: Refused, status: int) -> Response:
        plan = editing.editable_plan(session, asker.actor, plan_id)
        return _pledge_form(
            request, session, asker, plan, typed, status_code=status, refused=refused
        )

    return save(
        session,
        lambda: editing.add_pledge(session, asker.actor, plan_id, typed, _partners_in(typed)).ref,
        then=lambda ref: f"/plans/{plan_id}/pledges/{ref}",
        again=again,
    )


@router.get("/plans/{plan_id}/pledges/{ref}/edit")
def edit_pledge_page(
    request: Request,
    plan_id: int,
    ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    pledge = editing.find_pledge(session, plan_id, ref)
    values = forms.pledge_values(pledge, editing.current_partnerships(session, pledge))
    return _pledge_form(request, session, asker, plan, values, pledge, pledge.version)


@router.post("/plans/{plan_id}/pledges/{ref}/edit")
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
    version = required_version(form)

    def again(refused: Refused, status: int) -> Response:
        plan = editing.editable_plan(session, asker.actor, plan_id)
        pledge = editing.find_pledge(session, plan_id, ref)
        # Saving again after a conflict replaces theirs: the form now carries their version.
        shown = refused.current_version if isinstance(refused, Conflict) else version
        return _pledge_form(request, session, asker, plan, typed, pledge, shown, status, refused)

    return save(
        session,
        lambda: editing.update_pledge(
            session, asker.actor, plan_id, ref, version, typed, _partners_in(typed)
        ),
        then=f"/plans/{plan_id}/pledges/{ref}",
        again=again,
    )


# Measures


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
    refused: Refused | None = None,
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
        metrics=editing.metric_choices(session),
        directions=DIRECTIONS,
        **_refusal(refused),
    )


@router.get("/plans/{plan_id}/pledges/{ref}/measures/new")
def new_measure_page(
    request: Request,
    plan_id: int,
    ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    pledge = editing.find_pledge(session, plan_id, ref)
    return _measure_form(request, session, asker, plan, pledge, forms.blank_measure())


@router.post("/plans/{plan_id}/pledges/{ref}/measures/new")
def new_measure_submit(
    request: Request,
    plan_id: int,
    ref: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    editing.editable_plan(session, asker.actor, plan_id)
    typed = form_text(form, *forms.MEASURE_TEXTS)

    def again(refused: Refused, status: int) -> Response:
        plan = editing.editable_plan(session, asker.actor, plan_id)
        pledge = editing.find_pledge(session, plan_id, ref)
        return _measure_form(
            request, session, asker, plan, pledge, typed, status_code=status, refused=refused
        )

    return save(
        session,
        lambda: editing.add_measure(session, asker.actor, plan_id, ref, typed),
        then=f"/plans/{plan_id}/pledges/{ref}#measures",
        again=again,
    )


@router.get("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/edit")
def edit_measure_page(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    measure = find_measure(session, asker.actor, plan_id, ref, measure_ref)
    values = forms.measure_values(measure)
    return _measure_form(
        request, session, asker, plan, measure.pledge, values, measure, measure.version
    )


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/edit")
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
    typed = form_text(form, *forms.MEASURE_TEXTS)
    version = required_version(form)

    def again(refused: Refused, status: int) -> Response:
        plan = editing.editable_plan(session, asker.actor, plan_id)
        measure = find_measure(session, asker.actor, plan_id, ref, measure_ref)
        shown = refused.current_version if isinstance(refused, Conflict) else version
        return _measure_form(
            request, session, asker, plan, measure.pledge, typed, measure, shown, status, refused
        )

    return save(
        session,
        lambda: editing.update_measure(
            session, asker.actor, plan_id, ref, measure_ref, version, typed
        ),
        then=f"/plans/{plan_id}/pledges/{ref}#measures",
        again=again,
    )


def _remove_page(
    request: Request,
    asker: Who,
    plan: Plan,
    measure: PledgeMeasure,
    version: int,
    status_code: int = 200,
    refused: Refused | None = None,
) -> Response:
    shown = _refusal(refused)
    return render(
        request,
        "pledges/remove_measure.html",
        asker,
        status_code=status_code,
        plan=plan,
        pledge=measure.pledge,
        measure=measure,
        version=version,
        errors=shown["errors"],
        conflict=shown["conflict"],
    )


@router.get("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/remove")
def remove_measure_page(
    request: Request,
    plan_id: int,
    ref: str,
    measure_ref: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    plan = editing.editable_plan(session, asker.actor, plan_id)
    measure = find_measure(session, asker.actor, plan_id, ref, measure_ref)
    return _remove_page(request, asker, plan, measure, measure.version)


@router.post("/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/remove")
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
    version = required_version(form)

    def again(refused: Refused, status: int) -> Response:
        plan = editing.editable_plan(session, asker.actor, plan_id)
        measure = find_measure(session, asker.actor, plan_id, ref, measure_ref)
        shown = measure.version if isinstance(refused, Conflict) else (version or 0)
        return _remove_page(request, asker, plan, measure, shown, status, refused)

    return save(
        session,
        lambda: editing.remove_measure(session, asker.actor, plan_id, ref, measure_ref, version),
        then=f"/plans/{plan_id}/pledges/{ref}#measures",
        again=again,
    )
