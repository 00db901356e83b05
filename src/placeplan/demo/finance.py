"""The demo's financial model: the LLR system's medium-term financial plan (seed 003, Tables 17
to 19), attached to the demo's Five-Year Plan through the finance service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.finance.models import FinanceAllocation, FinanceModel
from placeplan.finance.service import create_allocation, create_model
from placeplan.plans.models import Plan
from placeplan.pledges.service.glide_path import follow_allocation

DEMO_PLAN_KEY = "llr-fyp-2023-28"
DEMO_FILE = Path(__file__).with_name("data") / "finance_llr.yaml"
DEMO_MODEL_NAME = "Medium-term financial plan"
ALLOCATION_FILE = Path(__file__).with_name("data") / "finance_allocation_llr.yaml"
FOLLOWING = ("10", "10.1")  # the pledge and measure that follow the allocation
FOLLOWED_AREA = "Leicester"


def _read(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(path)) from exc
    return dict(document)


def load_demo_finance(session: Session, actor: Actor) -> tuple[FinanceModel, FinanceAllocation]:
    """The LLR medium-term financial plan, as the Five-Year Plan's financial model, and the
    illustrative need-weighted allocation of its mental health investment, which pledge 10's
    measure follows (the pledges are loaded first)."""
    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        raise NotFound(f"no plan {DEMO_PLAN_KEY}: load the demo's plans first")
    try:
        model = create_model(session, actor, plan_id, DEMO_MODEL_NAME, _read(DEMO_FILE))
    except InputError as exc:
        exc.file = str(DEMO_FILE)
        raise
    document = _read(ALLOCATION_FILE)
    try:
        allocation = create_allocation(
            session, actor, plan_id, str(document.get("name")), document, illustrative=True
        )
    except InputError as exc:
        exc.file = str(ALLOCATION_FILE)
        raise
    # Pledge 10's measure (a five-year plan to align mental health investment with the most
    # disadvantaged areas) takes its yearly targets from Leicester's glide path: Leicester has
    # by far the largest share of patients in the most deprived areas (seed 003, Table 2).
    follow_allocation(session, actor, plan_id, *FOLLOWING, None, f"{allocation.id}:{FOLLOWED_AREA}")
    return model, allocation
