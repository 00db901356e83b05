"""The demo's delivery plan: Leicester's HWB delivery plan 2023-25 (seed 004), from YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import NotFound
from placeplan.delivery.service.loading import load_document
from placeplan.plans.models import Plan

DEMO_PLAN_KEY = "leicester-hwb-sdp-2023-25"
DEMO_FILE = Path(__file__).resolve().parent / "data" / "delivery_leicester_2023_25.yaml"


def load_demo_delivery(session: Session, actor: Actor) -> dict[str, int]:
    """Attach Leicester's HWB delivery plan 2023-25 (seed 004) to the demo plan of that key."""
    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        raise NotFound(f"no plan {DEMO_PLAN_KEY}: load the demo's plans first")
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return load_document(session, actor, plan_id, document)
