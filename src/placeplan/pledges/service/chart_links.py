"""The interventions of a plan linked to a metric: those of pledges with a measure of the metric,
in plans of the area or of its system (unpublished plans only for readers who may see them).
Measures asks for them through `measures.linked_interventions` to mark them on its SPC charts."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.plans.models import Plan
from placeplan.plans.service import readable_clause
from placeplan.pledges.models import Intervention, PledgeMeasure


def interventions_for_metric(
    session: Session, actor: Actor, metric_key: str, area_id: int
) -> list[tuple[int, str]]:
    """(financial year it starts, "Table 4, intervention 3: ...") for each linked intervention
    with a start year, in start order."""
    area = session.get(Area, area_id)
    if area is None:
        return []
    linked = select(PledgeMeasure.pledge_id).where(PledgeMeasure.metric_key == metric_key)
    query = (
        select(Intervention)
        .join(Plan, Plan.id == Intervention.plan_id)
        .where(
            Intervention.pledge_id.in_(linked),
            Intervention.start_year.is_not(None),
            or_(Plan.area_id == area.id, Plan.system_id == area.system_id),
        )
        .order_by(Intervention.start_year, Intervention.position, Intervention.id)
    )
    if (readable := readable_clause(actor)) is not None:
        query = query.where(readable)
    return [
        (int(i.start_year or 0), f"{i.table_ref}, intervention {i.number}: {i.description}")
        for i in session.scalars(query)
    ]
