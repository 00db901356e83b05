"""The demo's capacity model: the LLR scenario attached to the demo's Leicestershire plan."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.capacity.models import CapacityModel
from placeplan.capacity.service.stored import create_model
from placeplan.core.actor import Actor
from placeplan.plans.models import Plan

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "data" / "capacity_llr.yaml"
DEMO_PLAN_KEY = "leics-bcf-2025-26"
DEMO_MODEL_NAME = "LLR intermediate care 2025-26"


def load_demo_models(session: Session, actor: Actor) -> CapacityModel | None:
    """Attach the LLR demo scenario to the demo's 2025-26 Leicestershire BCF plan (no run).

    Idempotent: a model of that name already on the plan is left as it is. None if the plan is
    not there (the demo's plans were not loaded).
    """
    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        return None
    existing = session.scalar(
        select(CapacityModel).where(
            CapacityModel.plan_id == plan_id, CapacityModel.name == DEMO_MODEL_NAME
        )
    )
    if existing is not None:
        return existing
    return create_model(
        session, actor, plan_id, DEMO_MODEL_NAME, DEMO_FILE.read_text(encoding="utf-8")
    )
