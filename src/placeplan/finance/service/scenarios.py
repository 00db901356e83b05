"""Named scenarios: copies of a plan's model that keep what their base was when copied. A
scenario whose base has changed since is shown as out of date, with the differences; it is never
recomputed from the new base behind its author's back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.differences import Differences
from placeplan.core.errors import InputError
from placeplan.finance.domain.differences import model_differences
from placeplan.finance.domain.document import from_document
from placeplan.finance.models import FinanceModel
from placeplan.finance.service.stored import (
    KIND,
    Computed,
    computed,
    get_model,
    require_edit,
    unique_name,
)
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded


def copy_to_scenario(session: Session, actor: Actor, model_id: int, name: str) -> FinanceModel:
    """A named scenario copied from model `model_id` (the plan's own model or another scenario)."""
    base = get_model(session, actor, model_id)
    require_edit(actor, base.plan)
    if not (name or "").strip():
        raise InputError("Give the scenario a name", field="name")
    now = utcnow()
    record = FinanceModel(
        plan_id=base.plan_id,
        name=unique_name(session, base.plan_id, name),
        document=base.document,
        base_id=base.id,
        base_version=base.version,
        base_document=base.document,
        created_at=now,
        updated_at=now,
    )
    return add_recorded(session, actor, KIND, record, action="copy")


@dataclass(frozen=True)
class Staleness:
    """A scenario against its base: out of date when the base has moved since the copy, with
    what changed in the base since (`base_changes`) and how the scenario differs from the base
    as it now stands (`from_base`)."""

    base: FinanceModel
    out_of_date: bool
    base_changes: Differences
    from_base: Differences


def staleness(session: Session, actor: Actor, scenario: FinanceModel) -> Staleness | None:
    """None for a plan's own model (or a scenario whose base is gone)."""
    if scenario.base_id is None:
        return None
    base = get_model(session, actor, scenario.base_id)
    then = from_document(scenario.base_document or base.document)
    now = from_document(base.document)
    return Staleness(
        base=base,
        out_of_date=scenario.base_version != base.version,
        base_changes=model_differences(then, now),
        from_base=model_differences(now, from_document(scenario.document)),
    )


def compare_models(session: Session, actor: Actor, model_ids: list[int]) -> list[Computed]:
    """Models side by side (each computed from what it holds)."""
    if len(model_ids) < 1:
        raise InputError("Choose at least one model to compare", field="models")
    return [computed(get_model(session, actor, model_id)) for model_id in model_ids]
