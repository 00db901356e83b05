"""A plan named on the command line: by its number, or by its key (e.g. leics-bcf-2025-26)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import NotFound
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan


def plan_id_of(session: Session, actor: Actor, text: str) -> int:
    text = text.strip()
    if text.isdigit():
        return get_plan(session, actor, int(text)).id
    found = session.scalar(select(Plan.id).where(Plan.key == text))
    if found is None:
        raise NotFound(f"no plan {text!r}: give its number or its key")
    return get_plan(session, actor, found).id
