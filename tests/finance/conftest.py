"""A small world with a two-year plan of the LLR system that the finance tests attach models to."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session, sessionmaker

from placeplan.core.actor import operator
from placeplan.finance import service
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.factories import World
from tests.finance.factory import small_document


@dataclass
class FinanceWorld:
    world: World
    plan_id: int
    model_id: int


@pytest.fixture
def finance_world(sessions: sessionmaker[Session], world: World) -> FinanceWorld:
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s,
            operator("test"),
            "five_year_plan",
            "LLR plan",
            "2024-25 to 2025-26",
            system_code="LLR",
        )
        model = service.create_model(s, operator("test"), plan.id, "Our model", small_document())
        return FinanceWorld(world, plan.id, model.id)
