"""Ambitions: targets for a metric in an area and period, checked against the change the plan
states, and each judged against its period's figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_reporting_period
from placeplan.core.permissions import EDITING_ROLES, can_edit_plan, require
from placeplan.measures.domain.ambitions import (
    ChangeCheck,
    Status,
    check_change,
    on_track,
    on_track_by_period,
)
from placeplan.measures.domain.fields import ambition_limits
from placeplan.measures.models import Ambition, Measurement
from placeplan.measures.service.metrics import get_metric
from placeplan.store.changes import add_recorded


def ambitions_for(
    session: Session,
    metric_id: int | None = None,
    area_id: int | None = None,
    plan_id: int | None = None,
) -> list[Ambition]:
    # Each ambition's metric and area joined in: one statement (a plan's fingerprint reads these).
    query = select(Ambition).options(joinedload(Ambition.metric), joinedload(Ambition.area))
    if metric_id is not None:
        query = query.where(Ambition.metric_id == metric_id)
    if area_id is not None:
        query = query.where(Ambition.area_id == area_id)
    if plan_id is not None:
        query = query.where(Ambition.plan_id == plan_id)
    return list(session.scalars(query.order_by(Ambition.period)))


def check_ambition(ambition: Ambition) -> ChangeCheck | None:
    if ambition.baseline is None or not ambition.stated_change:
        return None
    return check_change(
        ambition.baseline,
        ambition.target,
        ambition.stated_change,
        percentage_measure=ambition.metric.unit == "percentage",
    )


def add_ambition(
    session: Session,
    actor: Actor,
    metric_key: str,
    area_code: str,
    item: dict[str, Any],
    plan_id: int | None = None,
) -> Ambition:
    require(
        actor.trusted or (actor.principal is not None and actor.principal.role in EDITING_ROLES),
        "set an ambition",
    )
    metric = get_metric(session, metric_key)
    area = session.scalar(select(Area).where(Area.gss_code == area_code))
    if area is None:
        raise InputError(f"no area with GSS code {area_code}", field="area_code")
    # An area's ambitions are for the editors of the organisations with a part in it.
    require(can_edit_plan(actor, area.id, None), f"set an ambition for {area.name}")
    period = parse_reporting_period(str(item["period"]))
    ambition_limits(metric.unit).check(item)
    return add_recorded(
        session,
        actor,
        "ambition",
        Ambition(
            metric_id=metric.id,
            area_id=area.id,
            plan_id=plan_id,
            period=period.label,
            target=Decimal(str(item["target"])),
            baseline=Decimal(str(item["baseline"])) if item.get("baseline") is not None else None,
            baseline_period=item.get("baseline_period"),
            stated_change=item.get("stated_change"),
            rationale=item.get("rationale"),
            source=item.get("source"),
        ),
    )


Standing = Status | Literal["no_figure"]
STANDING = {
    "on_track": "On track",
    "off_track": "Not on track",
    "no_target": "No ambition",
    "not_applicable": "No direction to judge by",
    "no_figure": "No figure yet",
}


@dataclass(frozen=True)
class Progress:
    """An ambition and the figure for its period, judged by the metric's direction."""

    ambition: Ambition
    measurement: Measurement | None
    status: Standing


def standing_by_period(
    rows: Sequence[Measurement], ambitions: Sequence[Ambition], direction: str
) -> dict[str, Status]:
    """On-track status of each period that has both a figure and an ambition."""
    targets = {a.period: a.target for a in ambitions}
    return {
        period: status
        for period, status in on_track_by_period(
            [(r.period, r.value) for r in rows if r.period in targets],
            targets,
            direction,  # type: ignore[arg-type]
        )
    }


def progress(
    session: Session,
    metric_id: int | None = None,
    area_id: int | None = None,
    plan_id: int | None = None,
) -> list[Progress]:
    """Each ambition (of a metric and area, or of a plan) with its period's all-persons figure."""
    found = ambitions_for(session, metric_id, area_id, plan_id)
    if not found:
        return []
    figures = {
        (m.metric_id, m.area_id, m.period): m
        for m in session.scalars(
            select(Measurement).where(
                Measurement.breakdown == "all",
                Measurement.metric_id.in_({a.metric_id for a in found}),
                Measurement.area_id.in_({a.area_id for a in found}),
                Measurement.period.in_({a.period for a in found}),
            )
        )
    }
    out = []
    for a in found:
        figure = figures.get((a.metric_id, a.area_id, a.period))
        status: Standing = (
            on_track(figure.value, a.target, a.metric.direction)  # type: ignore[arg-type]
            if figure is not None
            else "no_figure"
        )
        out.append(Progress(a, figure, status))
    return out
