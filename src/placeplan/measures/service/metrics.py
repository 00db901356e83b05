"""The metric catalogue: list, find and add metrics, and which have figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.measures.domain.standardise import parse_age_range
from placeplan.measures.domain.values import DIRECTIONS, UNITS
from placeplan.measures.models import Measurement, Metric
from placeplan.store.changes import add_recorded


def list_metrics(session: Session) -> list[Metric]:
    return list(session.scalars(select(Metric).order_by(Metric.name)))


def get_metric(session: Session, key: str) -> Metric:
    metric = session.scalar(select(Metric).where(Metric.key == key))
    if metric is None:
        raise NotFound(f"no metric {key}")
    return metric


def metric_in(metrics: list[Metric], key: str) -> Metric:
    """The metric `key` among `metrics` (a page that lists them all as well, from one read)."""
    metric = next((m for m in metrics if m.key == key), None)
    if metric is None:
        raise NotFound(f"no metric {key}")
    return metric


def add_metric(session: Session, actor: Actor, item: dict[str, Any]) -> Metric:
    require(can_manage_reference_data(actor), "add a metric")
    if item.get("unit") not in UNITS:
        raise InputError(f"unit must be one of {', '.join(UNITS)}", field="unit")
    if item.get("direction") not in DIRECTIONS:
        raise InputError("direction must be higher, lower or neither", field="direction")
    if item.get("age_range"):
        parse_age_range(item["age_range"])  # refused here, not at the first import
    if session.scalar(select(Metric).where(Metric.key == item["key"])) is not None:
        raise InputError(f"metric {item['key']} already exists", field="key")
    fields = (
        "key",
        "name",
        "definition",
        "numerator",
        "denominator",
        "unit",
        "population_age",
        "age_range",
        "direction",
        "frequency",
        "source",
    )
    return add_recorded(session, actor, "metric", Metric(**{k: item.get(k) for k in fields}))


def series(
    session: Session, metric_id: int, area_id: int, breakdown: str = "all"
) -> list[Measurement]:
    return list(
        session.scalars(
            select(Measurement)
            .where(
                Measurement.metric_id == metric_id,
                Measurement.area_id == area_id,
                Measurement.breakdown == breakdown,
            )
            .order_by(Measurement.period_sort)
        )
    )


def has_breakdowns(session: Session, metric_id: int, area_id: int) -> bool:
    return (
        session.scalar(
            select(Measurement.id)
            .where(
                Measurement.metric_id == metric_id,
                Measurement.area_id == area_id,
                Measurement.breakdown != "all",
            )
            .limit(1)
        )
        is not None
    )


def metrics_with_data(session: Session, area_id: int) -> list[Metric]:
    return list(
        session.scalars(
            select(Metric)
            .where(
                select(Measurement.id)
                .where(Measurement.metric_id == Metric.id, Measurement.area_id == area_id)
                .exists()
            )
            .order_by(Metric.name)
        )
    )
