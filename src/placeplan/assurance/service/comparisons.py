"""Comparisons across areas: each metric's league table (the measures board's latest value, SPC
variation and assurance, and ambition, for every area in the scope) and funnel plot (each area's
latest figure against its population, with exact limits), and the planned BCF spend per head.
The funnel reuses its results while the measures' revision token stands, the spend while its
year's plans and budgets do (`store.revisions.ReuseCache`, the project's one cache)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area, AreaPopulation, Region, System
from placeplan.assurance.domain.funnel import Funnel, funnel
from placeplan.budget.domain.catalogue import CATEGORIES
from placeplan.budget.models import BudgetRevision, ExpenditureLineRow, Scheme
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, SignInNeeded
from placeplan.core.permissions import assures_everywhere
from placeplan.measures.models import Measurement, Metric
from placeplan.measures.service import BoardRow, board, list_metrics, metric_in, revisions
from placeplan.plans.models import Plan
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
    """The areas compared: one NHS region's, or by default the regions of the asker's
    organisation's areas (a national assurer's, and an organisation's with no area: every area).
    What the comparisons show is published figures, read by anyone signed in."""
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
    elif (
        actor.principal is not None and actor.principal.region_ids and not assures_everywhere(actor)
    ):
        query = query.join(System).where(System.region_id.in_(sorted(actor.principal.region_ids)))
    return Scope(chosen, regions, list(session.scalars(query)))


LEAGUE_PAGE = 50  # rows of the league table a page shows (its download and the API: all)


@dataclass(frozen=True)
class League:
    metric: Metric
    metrics: list[Metric]
    scope: Scope
    rows: list[BoardRow]
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // LEAGUE_PAGE))

    @property
    def offset(self) -> int:
        """How many rows come before this page's: the first shown is ranked offset + 1."""
        return (self.page - 1) * LEAGUE_PAGE

    @property
    def shown(self) -> list[BoardRow]:
        return self.rows[self.offset : self.offset + LEAGUE_PAGE]


def league(
    session: Session, actor: Actor, metric_key: str, region_code: str | None, page: int = 1
) -> League:
    """Each area's latest value, best first by the metric's direction (higher or lower is better;
    by name where neither); `page` says which LEAGUE_PAGE of them a page shows."""
    metrics = list_metrics(session)
    metric = metric_in(metrics, metric_key)
    found = scope(session, actor, region_code)
    rows = board(session, found.areas, actor, metric=metric, metrics=metrics)
    shown = [r for r in rows if r.latest is not None and not r.withheld]
    if metric.direction in ("higher", "lower"):
        shown.sort(
            key=lambda r: r.latest.value if r.latest else Decimal(0),
            reverse=metric.direction == "higher",
        )
    made = League(metric, metrics, found, shown)
    return replace(made, page=min(max(1, page), made.pages))


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
    metrics = list_metrics(session)
    metric = metric_in(metrics, metric_key)
    found = scope(session, actor, region_code)
    method = FUNNEL_UNITS.get(metric.unit)
    if method is None:
        return FunnelView(metric, metrics, found, None, None)
    area_ids = sorted(a.id for a in found.areas)

    def make() -> tuple[str | None, Funnel]:
        period, observed = _observed(session, metric, area_ids)
        return period, funnel(observed, *method)

    period, shape = _FUNNEL_CACHE.get_or_make(
        (str(session.get_bind().engine.url), metric.id, tuple(area_ids)),
        revisions.token(session),
        make,
    )
    return FunnelView(metric, metrics, found, period, shape)


_FUNNEL_CACHE: ReuseCache[tuple[str | None, Funnel]] = ReuseCache(size=64, ttl=3600)


@dataclass(frozen=True)
class SpendRow:
    area: Area
    population: int | None  # all ages, the latest mid-year estimate up to the plan's year
    by_category: dict[str, int]  # pence
    total: int


@dataclass(frozen=True)
class Spend:
    year: int
    years: list[int]
    scope: Scope
    categories: dict[str, str]
    rows: list[SpendRow]


@dataclass(frozen=True)
class _YearSpend:
    """What every area's BCF plan of one year spends by category, and each area's population."""

    spent: dict[int, dict[str, int]]  # area id -> category -> pence
    people: dict[int, int]  # area id -> all ages, the latest mid-year estimate up to the year


# A year's spend of every area, reused while that year's BCF plans and their budgets stand (the
# token below), whatever the scope asked: the England page sums every line of 150 budgets. The
# age bound covers what the token does not: a new population estimate.
SPEND_TTL = 60.0
_SPEND_CACHE: ReuseCache[_YearSpend] = ReuseCache(size=16, ttl=SPEND_TTL)


def _spend_token(session: Session, year: int) -> str | None:
    """A token that changes whenever a BCF plan of `year` is added, moved or changed (its id, area
    and row version) or its budget is (its budget revision token, renewed by every budget write).
    None, so nothing is kept, while the year has no plan or a plan whose budget was never written
    through the budget's services (it has no revision token to tell a change by)."""
    rows = session.execute(
        select(Plan.id, Plan.area_id, Plan.version, BudgetRevision.token)
        .outerjoin(BudgetRevision, BudgetRevision.plan_id == Plan.id)
        .where(Plan.kind == "bcf_plan", Plan.period_start == year)
        .order_by(Plan.id)
    ).all()
    if not rows or any(row.token is None for row in rows):
        return None
    return hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()


def _year_spend(session: Session, year: int) -> _YearSpend:
    """Every area's spend by category in its BCF plan of `year`, and its population: two grouped
    queries."""
    spent: dict[int, dict[str, int]] = {}
    for area_id, category, pence in session.execute(
        select(Plan.area_id, Scheme.category, func.sum(ExpenditureLineRow.amount_pence))
        .join(Scheme, Scheme.id == ExpenditureLineRow.scheme_id)
        .join(Plan, Plan.id == ExpenditureLineRow.plan_id)
        .where(Plan.kind == "bcf_plan", Plan.period_start == year)
        .group_by(Plan.area_id, Scheme.category)
    ):
        if area_id is not None:  # a system's plan has no area to divide by
            spent.setdefault(area_id, {})[category] = int(pence)
    latest = (
        select(AreaPopulation.area_id, func.max(AreaPopulation.year).label("year"))
        .where(AreaPopulation.year <= year)
        .group_by(AreaPopulation.area_id)
        .subquery()
    )
    people: dict[int, int] = {
        area_id: int(total)
        for area_id, total in session.execute(
            select(AreaPopulation.area_id, func.sum(AreaPopulation.population))
            .join(
                latest,
                (latest.c.area_id == AreaPopulation.area_id)
                & (latest.c.year == AreaPopulation.year),
            )
            .group_by(AreaPopulation.area_id)
        )
    }
    return _YearSpend(spent, people)


def spend_per_head(
    session: Session, actor: Actor, year: int | None, region_code: str | None
) -> Spend:
    """Each area's planned BCF spend by category in its plan of `year` (the latest year with BCF
    plans by default), with its population to divide by; the year's figures for every area are
    reused while its plans and budgets stand (`_SPEND_CACHE`), and the scope's areas shown."""
    found = scope(session, actor, region_code)
    years = sorted(
        session.scalars(select(Plan.period_start).where(Plan.kind == "bcf_plan").distinct()),
        reverse=True,
    )
    chosen = year if year is not None else (years[0] if years else 0)
    whole = _SPEND_CACHE.get_or_make(
        (str(session.get_bind().engine.url), chosen),
        _spend_token(session, chosen),
        lambda: _year_spend(session, chosen),
    )
    by_id = {a.id: a for a in found.areas}
    rows = [
        SpendRow(by_id[a], whole.people.get(a), dict(spent), sum(spent.values()))
        for a, spent in sorted(
            ((a, spent) for a, spent in whole.spent.items() if a in by_id),
            key=lambda item: by_id[item[0]].name,
        )
    ]
    return Spend(chosen, years, found, dict(CATEGORIES), rows)
