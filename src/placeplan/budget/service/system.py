"""A system's budget: every BCF plan of its areas for one year, summarised together."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.budget.domain.summary import Summary, summarise
from placeplan.budget.service.documents import document_for
from placeplan.core.actor import Actor
from placeplan.plans.models import Plan
from placeplan.plans.service import may_read


def system_summary(
    session: Session, actor: Actor, system_id: int, year_start: int
) -> tuple[list[Plan], Summary]:
    plans = [
        p
        for p in session.scalars(
            select(Plan)
            .join(Area, Plan.area_id == Area.id)
            .where(Area.system_id == system_id)
            .where(Plan.kind == "bcf_plan")
            .where(Plan.period_start == year_start)
        )
    ]
    visible = [p for p in plans if may_read(actor, p)]
    lines = [line for p in visible for line in document_for(session, p).lines]
    return visible, summarise(lines)
