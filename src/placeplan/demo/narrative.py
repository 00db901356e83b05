"""The demo's narrative: Leicestershire's 2025-26 plan's blocks on the national headings, in
placeplan's own words summarising seed 000, and its UEC priorities linked to the plan's schemes,
loaded through the narrative's services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.narrative.service.blocks import save_block, set_state
from placeplan.narrative.service.uec import add_priority
from placeplan.plans.models import Plan

DEMO_FILE = Path(__file__).with_name("data") / "narrative_leics_2025_26.yaml"


def load_demo_narrative(session: Session, actor: Actor) -> dict[str, int]:
    try:
        document: dict[str, Any] = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(DEMO_FILE)) from exc
    plan_id = session.scalar(select(Plan.id).where(Plan.key == document["plan"]))
    if plan_id is None:
        raise NotFound(f"no plan {document['plan']}: load the demo's plans first")
    blocks = document.get("blocks") or {}
    for key, text in blocks.items():
        saved = save_block(session, actor, plan_id, key, str(text), None, "the demo's text")
        # The Health and Wellbeing Board agreed the plan's narrative with its draft (seed 000).
        set_state(session, actor, plan_id, key, "agreed", saved.block.version)
    priorities = document.get("uec_priorities") or []
    for item in priorities:
        add_priority(
            session,
            actor,
            plan_id,
            str(item["title"]),
            str(item.get("support") or ""),
            [str(ref) for ref in item.get("schemes") or []],
        )
    return {"narrative blocks": len(blocks), "UEC priorities": len(priorities)}
