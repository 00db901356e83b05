"""Sizing a stored model: the least capacity of one service meeting a target, and the gap.
Nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from placeplan.capacity.domain.cheapest import cheapest
from placeplan.capacity.domain.engine import Progress
from placeplan.capacity.domain.report import finite
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.sizing import Target, parse_target, size
from placeplan.capacity.service.money import COST_KEYS, _money, pence
from placeplan.capacity.service.runs import DEFAULT_SEED, MAX_WEB_REPLICATIONS
from placeplan.capacity.service.stored import _require_edit, get_model, validate
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError


def size_on_request(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    target: str,
    replications: int = 200,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Sizing asked for through the API: it simulates at once, in the request,
    so only those who may run the model may ask it."""
    _require_edit(actor, get_model(session, actor, model_id).plan)
    return size_model(session, actor, model_id, service_id, target, replications, seed)


def ask_sizing(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    target: str | Target,
    replications: int = 200,
    seed: int = DEFAULT_SEED,
) -> SizingAsk:
    """Sizing asked for on the page, made in the background: like `size_on_request`, only
    those who may run the model may ask it."""
    _require_edit(actor, get_model(session, actor, model_id).plan)
    return prepare_sizing(session, actor, model_id, service_id, target, replications, seed)


@dataclass(frozen=True)
class SizingAsk:
    """A sizing asked of a stored model, checked and ready to make (nothing more is read)."""

    model_id: int
    scenario: Scenario
    service_id: str
    target: Target
    replications: int
    seed: int


def prepare_sizing(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    target: str | Target,
    replications: int = 200,
    seed: int = DEFAULT_SEED,
) -> SizingAsk:
    """Check a sizing asked of model `model_id` (refusing as `size_model` does) without making
    it, so it can be made in the background."""
    model = get_model(session, actor, model_id)
    if not 1 <= replications <= MAX_WEB_REPLICATIONS:
        raise InputError(
            f"replications run from 1 to {MAX_WEB_REPLICATIONS:,}", field="replications"
        )
    scenario = validate(model.scenario_yaml)
    if service_id not in {s.id for s in scenario.services}:
        raise InputError(f"the model has no service '{service_id}'", field="service")
    try:
        tgt = parse_target(target) if isinstance(target, str) else target
    except InputError as exc:
        raise InputError(exc.message, field="target") from exc
    return SizingAsk(model.id, scenario, service_id, tgt, replications, seed)


def make_sizing(ask: SizingAsk, progress: Progress | None = None) -> dict[str, Any]:
    """The least capacity meeting the asked target, and the gap; costs in pence."""
    tgt = ask.target
    found = size(ask.scenario, ask.service_id, tgt, ask.replications, ask.seed, progress)
    doc = finite(found.as_dict())
    if tgt.metric in COST_KEYS:
        for key in ("value_at_needed", "value_with_one_fewer", "value_now"):
            doc[f"{key}_pence"] = _money(doc.pop(key))
        for row in doc["evaluations"]:
            row["value_pence"] = pence(row.pop("value"))
    doc["model_id"] = ask.model_id
    return dict(doc)


def size_model(
    session: Session,
    actor: Actor,
    model_id: int,
    service_id: str,
    target: str | Target,
    replications: int = 200,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """The least capacity of one service meeting the target, and the gap. Nothing is stored."""
    ask = prepare_sizing(session, actor, model_id, service_id, target, replications, seed)
    return make_sizing(ask)


CHEAPEST_COST_KEYS = ("capacity_cost", "delay_cost", "interim_cost", "total_cost")


def cheapest_for_model(
    session: Session,
    actor: Actor,
    model_id: int,
    service_ids: list[str],
    replications: int = 100,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """The capacity of least total cost (capacity, acute delays, interim care) of one service
    or of linked services together, with every capacity tried; costs in pence. Nothing is
    stored."""
    model = get_model(session, actor, model_id)
    if not 1 <= replications <= MAX_WEB_REPLICATIONS:
        raise InputError(
            f"replications run from 1 to {MAX_WEB_REPLICATIONS:,}", field="replications"
        )
    scenario = validate(model.scenario_yaml)
    known = {s.id for s in scenario.services}
    for sid in service_ids:
        if sid not in known:
            raise InputError(f"the model has no service '{sid}'", field="service")
    doc = finite(cheapest(scenario, service_ids, replications, seed).as_dict())
    for row in [*doc["points"], doc["optimum"]]:
        for key in CHEAPEST_COST_KEYS:
            if key in row:
                row[f"{key}_pence"] = _money(row.pop(key))
    doc["total_cost_now_pence"] = _money(doc.pop("total_cost_now"))
    for row in doc["by_month"]:
        row["total_cost_pence"] = pence(row.pop("total_cost"))
    doc["model_id"] = model.id
    return dict(doc)
