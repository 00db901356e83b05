"""The financial models another concept may take a year's allocation uplift from (the BCF's NHS
minimum contribution): those of the plans the asker may read that run over the year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.finance.domain.uplift import Uplift, allocation_uplift
from placeplan.finance.models import FinanceModel
from placeplan.finance.service.stored import get_model, model_of
from placeplan.plans.models import Plan
from placeplan.plans.service import readable_plan_ids


@dataclass(frozen=True)
class Offered:
    """A model one may take the year's uplift from, and what it gives (None: it gives none,
    `problem` says why)."""

    record: FinanceModel
    uplift: Uplift | None
    problem: str | None

    @property
    def label(self) -> str:
        return f"{self.record.plan.title}: {self.record.name}"


def models_for_year(session: Session, actor: Actor, year: int) -> list[Offered]:
    """Every model the asker may read of a plan whose period takes in `year`, with its uplift."""
    readable = readable_plan_ids(session, actor)
    query = (
        select(FinanceModel)
        .join(Plan, Plan.id == FinanceModel.plan_id)
        .where(Plan.period_start <= year, Plan.period_end >= year)
        .order_by(Plan.title, FinanceModel.name)
    )
    offered = []
    for record in session.scalars(query):
        if readable is not None and record.plan_id not in readable:
            continue
        try:
            offered.append(Offered(record, allocation_uplift(model_of(record), year), None))
        except InputError as exc:  # the model gives no uplift that year: say why
            offered.append(Offered(record, None, exc.message))
    return offered


def uplift_from(session: Session, actor: Actor, model_id: int, year: int) -> Offered:
    """Model `model_id`'s allocation uplift in `year` (InputError naming "model" when it has
    none); the asker must be able to read the model's plan."""
    record = get_model(session, actor, model_id)
    return Offered(record, allocation_uplift(model_of(record), year), None)
