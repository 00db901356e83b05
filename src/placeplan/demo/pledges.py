"""The demo's pledges: the LLR Five-Year Plan's pledges and interventions (seed 003, Table 13),
loaded into its demo plan, and the illustrative counts behind its system figures."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.measures.service import import_rows
from placeplan.plans.models import Plan
from placeplan.pledges.domain.document import optional, required_text
from placeplan.pledges.service.documents import load_document

DEMO_PLAN_KEY = "llr-fyp-2023-28"
DEMO_FILE = Path(__file__).with_name("data") / "five_year_plan.yaml"


def load_demo_pledges(session: Session, actor: Actor) -> dict[str, int]:
    """Attach the LLR Five-Year Plan's pledges and interventions (seed 003) to its demo plan."""
    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        raise NotFound(f"no plan {DEMO_PLAN_KEY}: load the demo's plans first")
    try:
        document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(DEMO_FILE)) from exc
    counts = load_document(session, actor, plan_id, document, str(DEMO_FILE))
    counts["measurements"] = _load_demo_measurements(session, actor, document)
    return counts


def _load_demo_measurements(session: Session, actor: Actor, document: Mapping[str, Any]) -> int:
    """The illustrative counts behind the demo's system figures, through the measures import."""
    written = 0
    for n, item in enumerate(document.get("illustrative_measurements") or []):
        rows = [
            (r_n, {k: "" if v is None else str(v) for k, v in row.items()})
            for r_n, row in enumerate(item.get("rows") or [], start=1)
        ]
        written += import_rows(
            session,
            actor,
            required_text(item, "metric", f"illustrative_measurements[{n}]", str(DEMO_FILE)),
            rows,
            file=str(DEMO_FILE),
            source=optional(item, "source"),
            illustrative=True,
        )
    return written
