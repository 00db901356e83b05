"""Comparisons across areas: each metric's league table (the measures board's latest value, SPC
variation and assurance, and ambition, for every area in the scope) and funnel plot (each area's
latest figure against its population, with exact limits). Both reuse their results while the
measures' revision token stands (`store.revisions.ReuseCache`, the project's one cache)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area, Region, System
from placeplan.assurance.domain.funnel import Funnel, funnel
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, SignInNeeded
from placeplan.measures.models import Measurement, Metric
from placeplan.measures.service import BoardRow, board, get_metric, list_metrics, revisions
from placeplan.store.revisions import ReuseCache

# Counts over what each unit's figure divides by, and what it multiplies by. Age-standardised
# rates, minutes and years are not a count over a population, so they have no funnel.
FUNNEL_UNITS: dict[str, tuple[str, float]] = {
    "rate_per_100k": ("poisson", 100_000.0),
    "days": ("poisson", 1.0),
    "count": ("poisson", 1.0),
    "percentage": ("binomial", 100.0),
}


@dataclass(frozen=True)
class Scope:
    region: Region | None
    regions: list[Region]
    areas: list[Area]


def scope(session: Session, actor: Actor, region_code: str | None) -> Scope:
    """The areas compared: one NHS region's, or by default a regional assurer's regions', else
    every area (what the comparisons show is published figures, read by anyone signed in)."""
    if not actor.trusted and actor.principal is None:
        raise SignInNeeded("sign in to compare areas")
    regions = list(session.scalars(select(Region).order_by(Region.name)))
    chosen = None
    query = select(Area).order_by(Area.name)
    if region_code:
        chosen = next((r for r in regions if r.code == region_code), None)
        if chosen is None:
            raise InputError(f"there is no NHS region {region_code}", field="region")
        query = query.join(System).where(System.region_id == chosen.id)
    elif actor.principal is not None and actor.principal.region_ids:
        query = query.join(System).where(System.region_id.in_(sorted(actor.principal.region_ids)))
    return Scope(chosen, regions, list(session.scalars(query)))


@dataclass(frozen=True)
class League:
    metric: Metric
    metrics: list[Metric]
    scope: Scope
    rows: list[BoardRow]


def league(session: Session, actor: Actor, metric_key: str, region_code: str | None) -> League:
    """Each area's latest value, best first by the metric's direction (higher or lower is better;
    by name where neither)."""
    metric = get_metric(session, metric_key)
    found = scope(session, actor, region_code)
    rows = [r for r in board(session, found.areas, actor) if r.metric.id == metric.id]
    shown = [r for r in rows if r.latest is not None and not r.withheld]
    if metric.direction in ("higher", "lower"):
        shown.sort(
            key=lambda r: r.latest.value if r.latest else Decimal(0),
            reverse=metric.direction == "higher",
        )
    return League(metric, list_metrics(session), found, shown)


@dataclass(frozen=True)
class FunnelView:
    metric: Metric
    metrics: list[Metric]
    scope: Scope
    period: str | None
    shape: Funnel | None  # None: this metric's unit has no funnel


def _observed(
    session: Session, metric: Metric, area_ids: list[int]
) -> tuple[str | None, list[tuple[str, float, float]]]:
    """Each area's figure in the latest period any area has (one query for the period, one for
    the figures); its count and what it is over."""
    where = (
        Measurement.metric_id == metric.id,
        Measurement.breakdown == "all",
        Measurement.area_id.in_(area_ids),
    )
    latest = session.scalar(select(func.max(Measurement.period_sort)).where(*where))
    if latest is None:
        return None, []
    found = session.execute(
        select(
            Area.name,
            Measurement.period,
            Measurement.numerator,
            Measurement.denominator,
            Measurement.population_used,
        )
        .join(Area, Area.id == Measurement.area_id)
        .where(*where, Measurement.period_sort == latest)
    ).all()
    observed = []
    for name, _period, numerator, denominator, population in found:
        size = population if metric.unit == "rate_per_100k" else denominator
        if numerator is not None and size:
            observed.append((name, float(numerator), float(size)))
    return (found[0][1] if found else None), observed


def funnel_view(
    session: Session, actor: Actor, metric_key: str, region_code: str | None
) -> FunnelView:
    metric = get_metric(session, metric_key)
    found = scope(session, actor, region_code)
    method = FUNNEL_UNITS.get(metric.unit)
    if method is None:
        return FunnelView(metric, list_metrics(session), found, None, None)
    area_ids = sorted(a.id for a in found.areas)

    def make() -> tuple[str | None, Funnel]:
        period, observed = _observed(session, metric, area_ids)
        return period, funnel(observed, *method)

    period, shape = _FUNNEL_CACHE.get_or_make(
        (str(session.get_bind().engine.url), metric.id, tuple(area_ids)),
        revisions.token(session),
        make,
    )
    return FunnelView(metric, list_metrics(session), found, period, shape)


_FUNNEL_CACHE: ReuseCache[tuple[str | None, Funnel]] = ReuseCache(size=64, ttl=3600)
