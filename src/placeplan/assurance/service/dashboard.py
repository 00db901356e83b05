"""The dashboard of every BCF plan of a year in an assurer's scope: one read of plans, areas,
systems, regions, first submissions and assurance records (indexes: plans by year and kind,
systems by region), filters and counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area, Region, System
from placeplan.assurance import domain
from placeplan.assurance.models import AssuranceRecord
from placeplan.assurance.service.records import scope_region_ids
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.plans.models import Plan, PlanSnapshot

NOT_RATED = "not_rated"
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    year: int | None = None  # None: the latest year with BCF plans
    region: str | None = None
    system: str | None = None
    status: str | None = None
    rating: str | None = None
    escalated: bool | None = None


@dataclass(frozen=True)
class Row:
    plan_id: int
    title: str
    area: str
    gss_code: str
    system: str
    region: str
    status: str
    first_submitted: date | None
    rating: str | None
    conditions: str | None
    escalated: bool
    met: int | None  # checklist items met when the assurer last saved
    items: int
    version: int | None = None  # the assurance record's, None before the first save


@dataclass
class Dashboard:
    year: int
    filters: Filters
    rows: list[Row]
    regions: list[tuple[str, str]]
    systems: list[tuple[str, str]]
    years: list[int]
    page: int = 1
    pages: int = 1
    by_status: Counter[str] = field(default_factory=Counter)
    by_rating: Counter[str] = field(default_factory=Counter)
    escalated: int = 0

    @property
    def shown(self) -> list[Row]:
        """The rows of this page (the counts and downloads are of every row)."""
        return self.rows[(self.page - 1) * PAGE_SIZE : self.page * PAGE_SIZE]


# Columns, not records: the dashboard reads 153 rows and builds no ORM object for them.
_Found = Select[
    int, str, str, str, str, str, str, datetime | None, str | None, str | None, bool | None,
    dict[str, Any] | None, int | None,
]  # fmt: skip


def _query(region_ids: frozenset[int] | None, f: Filters) -> _Found:
    # Each plan's first submission read through its own index (plan_snapshots by plan and time),
    # not by grouping every snapshot of every year: the cost follows the plans shown.
    first: Any = (  # datetime, or None where the plan has no snapshot (min of no rows)
        select(func.min(PlanSnapshot.taken_at))
        .where(PlanSnapshot.plan_id == Plan.id)
        .correlate(Plan)
        .scalar_subquery()
    )
    query = (
        select(
            Plan.id,
            Plan.title,
            Plan.status,
            Area.name,
            Area.gss_code,
            System.name,
            Region.name,
            first,
            AssuranceRecord.rating,
            AssuranceRecord.conditions,
            AssuranceRecord.escalated,
            AssuranceRecord.checked,
            AssuranceRecord.version,
        )
        .join(Area, Plan.area_id == Area.id)
        .join(System, Area.system_id == System.id)
        .join(Region, System.region_id == Region.id)
        .outerjoin(AssuranceRecord, AssuranceRecord.plan_id == Plan.id)
        .where(Plan.kind == "bcf_plan", Plan.period_start == f.year)
        .order_by(Region.name, System.name, Area.name)
    )
    if region_ids is not None:
        query = query.where(System.region_id.in_(sorted(region_ids)))
    if f.region:
        query = query.where(Region.code == f.region)
    if f.system:
        query = query.where(System.code == f.system)
    return query


def dashboard(session: Session, actor: Actor, filters: Filters, page: int = 1) -> Dashboard:
    """Every BCF plan of `filters.year` in scope, narrowed by the filters; the counts are of the
    rows shown."""
    region_ids = scope_region_ids(actor)
    if filters.year is None:
        filters = replace(filters, year=latest_year(session))
    if filters.rating and filters.rating not in (*domain.RATINGS, NOT_RATED):
        raise InputError(f"'{filters.rating}' is not a rating", field="rating")
    rows = []
    for found in session.execute(_query(region_ids, filters)):
        plan_id, title, status, area, gss, system, region, first, rating, conditions = found[:10]
        escalated, checked, version = found[10:]
        row = Row(
            plan_id=plan_id,
            title=title,
            area=area,
            gss_code=gss,
            system=system,
            region=region,
            status=status,
            first_submitted=first.date() if first else None,
            rating=rating,
            conditions=conditions,
            escalated=bool(escalated),
            met=sum(1 for v in checked.values() if v == "yes") if checked is not None else None,
            items=len(domain.CHECKLIST),
            version=version,
        )
        if filters.status and row.status != filters.status:
            continue
        if filters.rating and (row.rating or NOT_RATED) != filters.rating:
            continue
        if filters.escalated is not None and row.escalated != filters.escalated:
            continue
        rows.append(row)
    assert filters.year is not None
    board = Dashboard(
        year=filters.year,
        filters=filters,
        rows=rows,
        regions=_regions(session, region_ids),
        systems=_systems(session, region_ids, filters.region),
        years=_years(session),
    )
    board.pages = max(1, -(-len(rows) // PAGE_SIZE))
    board.page = min(max(1, page), board.pages)
    board.by_status.update(r.status for r in rows)
    board.by_rating.update(r.rating or NOT_RATED for r in rows)
    board.escalated = sum(1 for r in rows if r.escalated)
    return board


def _regions(session: Session, region_ids: frozenset[int] | None) -> list[tuple[str, str]]:
    query = select(Region.code, Region.name).order_by(Region.name)
    if region_ids is not None:
        query = query.where(Region.id.in_(sorted(region_ids)))
    return [(code, name) for code, name in session.execute(query)]


def _systems(
    session: Session, region_ids: frozenset[int] | None, region: str | None
) -> list[tuple[str, str]]:
    query = select(System.code, System.name).join(Region).order_by(System.name)
    if region_ids is not None:
        query = query.where(Region.id.in_(sorted(region_ids)))
    if region:
        query = query.where(Region.code == region)
    return [(code, name) for code, name in session.execute(query)]


def _years(session: Session) -> list[int]:
    query = select(Plan.period_start).where(Plan.kind == "bcf_plan").distinct()
    return sorted(session.scalars(query), reverse=True)


def latest_year(session: Session) -> int:
    years = _years(session)
    if not years:
        raise InputError("there are no BCF plans to assure yet", field="year")
    return years[0]
