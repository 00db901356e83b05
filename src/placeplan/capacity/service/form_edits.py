"""A model built and edited on forms: a service, an interim option or the settings at a time.

The scenario's YAML stays what is stored (and imported and exported): each save reads the stored
mapping, puts the form's part in, validates the whole scenario with the engine's own check, and
stores it as YAML through `stored.update_model` (the version check and the audit). A refusal of
the check is said against the form's field (`domain.service_form`, `domain.model_form`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from placeplan.capacity.domain.form_fields import Fields, code_from_name
from placeplan.capacity.domain.model_form import (
    interim_from_fields,
    interim_refusal,
    settings_from_fields,
    settings_refusal,
)
from placeplan.capacity.domain.scenario import parse_scenario
from placeplan.capacity.domain.service_form import refusal, service_from_fields
from placeplan.capacity.io.scenario import scenario_mapping, scenario_text
from placeplan.capacity.io.scenario_splice import scenario_text_keeping
from placeplan.capacity.models import CapacityModel
from placeplan.capacity.service.stored import (
    MODEL_EDITABLE,
    can_edit,
    create_model,
    get_model,
    update_model,
)
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.uow import check_version


@dataclass
class ScenarioForms:
    """A model's scenario as its forms show it."""

    model: CapacityModel
    data: dict[str, Any]
    names: dict[str, str]  # each service's plain name (its code where it has none), by code
    can_edit: bool
    # the stored YAML has comments: a save from a form keeps them, but those about a figure it
    # changes
    has_comments: bool

    @property
    def services(self) -> list[dict[str, Any]]:
        return list(self.data.get("services") or [])

    @property
    def interims(self) -> dict[str, dict[str, Any]]:
        return dict(self.data.get("interim") or {})

    def service(self, code: str) -> dict[str, Any]:
        found = next((s for s in self.services if s.get("id") == code), None)
        if found is None:
            raise NotFound(f"no service {code} in this model")
        return found

    def interim(self, code: str) -> dict[str, Any]:
        if code not in self.interims:
            raise NotFound(f"no interim option {code} in this model")
        return self.interims[code]


def names_of(data: Mapping[str, Any]) -> dict[str, str]:
    return {str(s.get("id")): str(s.get("name") or s.get("id")) for s in data.get("services") or []}


def scenario_forms(session: Session, actor: Actor, model_id: int) -> ScenarioForms:
    model = get_model(session, actor, model_id)
    data = scenario_mapping(model.scenario_yaml)
    comments = any(
        line.lstrip().startswith("#") or " #" in line for line in model.scenario_yaml.splitlines()
    )
    return ScenarioForms(model, data, names_of(data), can_edit(actor, model.plan), comments)


def _opened(
    session: Session, actor: Actor, model_id: int, version: int
) -> tuple[CapacityModel, dict[str, Any]]:
    """The model as stored, once the editor may change it and started from this version."""
    model = get_model(session, actor, model_id)
    plan = model.plan
    require(
        can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's capacity models"
    )
    check_version(session, model, "capacity_model", version, MODEL_EDITABLE)
    return model, scenario_mapping(model.scenario_yaml)


def _store(
    session: Session,
    actor: Actor,
    model: CapacityModel,
    version: int,
    data: dict[str, Any],
    said: Callable[[InputError], InputError],
) -> CapacityModel:
    try:
        parse_scenario(data)
    except InputError as error:
        raise said(error) from error
    text = scenario_text_keeping(model.scenario_yaml, data)
    return update_model(session, actor, model.id, version, scenario_yaml=text)


def save_service(
    session: Session,
    actor: Actor,
    model_id: int,
    version: int,
    code: str | None,
    fields: Fields,
) -> CapacityModel:
    """Add a service (`code` None) or change one from its form."""
    model, data = _opened(session, actor, model_id, version)
    services: list[dict[str, Any]] = list(data.get("services") or [])
    codes = [str(s.get("id")) for s in services]
    if code is not None and code not in codes:
        raise NotFound(f"no service {code} in this model")
    typed = dict(fields)
    if not typed.get("code", "").strip():
        name = typed.get("service_name", "")
        typed["code"] = code or code_from_name(name, set(codes))
    new_code = typed["code"].strip()
    others = [c for c in codes if c != code]
    old = services[codes.index(code)] if code is not None else None
    raw = service_from_fields(typed, others, old)
    if code is None:
        services.append(raw)
        index = len(services) - 1
    else:
        index = codes.index(code)
        services[index] = raw
        if new_code != code:  # routes to it follow it
            for other in services:
                onward = other.get("onward") or {}
                if code in onward:
                    other["onward"] = {new_code if k == code else k: v for k, v in onward.items()}
    data["services"] = services
    start = data.get("start") if isinstance(data.get("start"), str) else None
    return _store(
        session,
        actor,
        model,
        version,
        data,
        lambda e: refusal(e, index, typed, start, names_of(data)),
    )


def remove_service(
    session: Session, actor: Actor, model_id: int, version: int, code: str
) -> CapacityModel:
    """Remove a service, and the routes other services send to it."""
    model, data = _opened(session, actor, model_id, version)
    services = list(data.get("services") or [])
    if code not in [s.get("id") for s in services]:
        raise NotFound(f"no service {code} in this model")
    if len(services) == 1:
        raise InputError(
            "a model needs at least one service: add another before removing this one",
            field="remove",
        )
    kept = [s for s in services if s.get("id") != code]
    for other in kept:
        onward = other.get("onward") or {}
        if code in onward:
            rest = {k: v for k, v in onward.items() if k != code}
            if rest:
                other["onward"] = rest
            else:
                del other["onward"]
    data["services"] = kept
    return _store(session, actor, model, version, data, lambda e: InputError(e.message, "remove"))


def save_interim(
    session: Session,
    actor: Actor,
    model_id: int,
    version: int,
    code: str | None,
    fields: Fields,
) -> CapacityModel:
    """Add an interim option (`code` None) or change one from its form; services that use it
    when full follow a change of its code."""
    model, data = _opened(session, actor, model_id, version)
    interims: dict[str, Any] = dict(data.get("interim") or {})
    if code is not None and code not in interims:
        raise NotFound(f"no interim option {code} in this model")
    new_code = fields.get("interim_code", "").strip() or code
    if not new_code:
        new_code = code_from_name(fields.get("interim_name", ""), set(interims))
    if new_code != code and new_code in interims:
        raise InputError(
            f"another interim option has the short code {new_code}", field="interim_code"
        )
    raw = interim_from_fields(fields, interims.get(code) if code else None)
    data["interim"] = {
        (new_code if k == code else k): (raw if k == code else v) for k, v in interims.items()
    }
    if code is None:
        data["interim"][new_code] = raw
    elif new_code != code:
        for s in data.get("services") or []:
            if (s.get("when_full") or {}).get("interim") == code:
                s["when_full"] = {"interim": new_code}
    _order(data)
    return _store(session, actor, model, version, data, lambda e: interim_refusal(e, new_code))


def remove_interim(
    session: Session, actor: Actor, model_id: int, version: int, code: str
) -> CapacityModel:
    """Remove an interim option no service uses when full."""
    model, data = _opened(session, actor, model_id, version)
    interims = dict(data.get("interim") or {})
    if code not in interims:
        raise NotFound(f"no interim option {code} in this model")
    users = [
        str(s.get("name") or s.get("id"))
        for s in data.get("services") or []
        if (s.get("when_full") or {}).get("interim") == code
    ]
    if users:
        who = " and ".join(users)
        raise InputError(
            f"{who[:1].upper()}{who[1:]} {'use' if len(users) > 1 else 'uses'} it when full: "
            "choose another interim option (or none) there first",
            field="remove",
        )
    del interims[code]
    if interims:
        data["interim"] = interims
    else:
        data.pop("interim", None)
    return _store(session, actor, model, version, data, lambda e: InputError(e.message, "remove"))


def save_settings(
    session: Session, actor: Actor, model_id: int, version: int, fields: Fields
) -> CapacityModel:
    """The scenario's title, notes, period, warm-up and acute figures from their form."""
    model, data = _opened(session, actor, model_id, version)
    changed = settings_from_fields(fields, data)
    _order(changed)
    return _store(
        session,
        actor,
        model,
        version,
        changed,
        lambda e: settings_refusal(e, fields, names_of(changed)),
    )


def _order(data: dict[str, Any]) -> None:
    """Interim options before services, as a file writes them."""
    services = data.pop("services", None)
    if services is not None:
        data["services"] = services


def create_on_forms(session: Session, actor: Actor, plan_id: int, fields: Fields) -> CapacityModel:
    """A new model from its form: its name (the scenario's title too), calendar and first
    service; the others are added on their own forms."""
    plan_to_edit(session, actor, plan_id)
    typed = dict(fields)
    name = typed.get("name", "").strip()
    if not name:  # the stored model's own check's words (stored._name)
        raise InputError("Give the model a name", field="name")
    typed["scenario_name"] = name
    if not typed.get("code", "").strip():
        typed["code"] = code_from_name(typed.get("service_name", ""), set())
    data = settings_from_fields(typed, {})
    data["services"] = [service_from_fields(typed, [], None)]
    try:
        parse_scenario(data)
    except InputError as error:
        path = error.field or ""
        if path.startswith("services[0]"):
            start = data.get("start") if isinstance(data.get("start"), str) else None
            raise refusal(error, 0, typed, start, names_of(data)) from error
        said = settings_refusal(error, typed, names_of(data))
        if said.field == "scenario_name":
            said = InputError(said.message.replace("The scenario's title", "The name"), "name")
        raise said from error
    return create_model(session, actor, plan_id, name, scenario_text(data))


def plan_to_edit(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan a new model is for, once the editor may add one."""
    plan = get_plan(session, actor, plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "add capacity models to this plan")
    return plan
