"""Assurance's JSON answers: pydantic read schemas, so /api/v1/openapi.json describes each, and the
functions that build them from the service's views. Labels travel beside keys; money is integer
pence, per-head figures pounds as exact decimal text; funnel figures are floats (statistics)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from placeplan.assurance import domain
from placeplan.assurance.domain.funnel import Funnel
from placeplan.assurance.present.tables import RATING_LABELS, per_head, year_label
from placeplan.assurance.service import NOT_RATED, AssuranceView, Dashboard, Row
from placeplan.assurance.service.comparisons import FunnelView, League, Scope, Spend
from placeplan.measures.models import Metric
from placeplan.measures.present.labels import ASSURANCE, VARIATION

# ---- the dashboard and a plan's assurance -----------------------------------------------------


class AssuranceRowOut(BaseModel):
    """One plan in scope on the dashboard, with its checklist standing and rating."""

    plan_id: int
    title: str
    area: str
    gss_code: str
    system: str
    region: str
    status: str
    first_submitted: date | None
    rating: str | None
    rating_label: str
    conditions: str | None
    escalated: bool
    checklist_met: int | None = Field(
        description="checklist items met when the assurer last saved; None before the first save"
    )
    checklist_items: int
    version: int | None = Field(description="the assurance record's version; None before it")
    url: str
    api_url: str
    plan_url: str


class CountOut(BaseModel):
    key: str
    label: str
    count: int


class LabelOut(BaseModel):
    key: str
    label: str


class PlaceOut(BaseModel):
    code: str
    name: str


class DashboardOut(BaseModel):
    """Every BCF plan of a year in the asker's scope that the filters keep, a page at a time; the
    counts are of every plan kept, not just this page's."""

    year: int
    year_label: str
    page: int
    pages: int
    total: int
    by_status: list[CountOut]
    by_rating: list[CountOut]
    escalated: int
    plans: list[AssuranceRowOut]
    regions: list[PlaceOut]
    systems: list[PlaceOut]
    years: list[int]


def _row_json(row: Row) -> AssuranceRowOut:
    return AssuranceRowOut(
        plan_id=row.plan_id,
        title=row.title,
        area=row.area,
        gss_code=row.gss_code,
        system=row.system,
        region=row.region,
        status=row.status,
        first_submitted=row.first_submitted,
        rating=row.rating,
        rating_label=RATING_LABELS[row.rating or NOT_RATED],
        conditions=row.conditions,
        escalated=row.escalated,
        checklist_met=row.met,
        checklist_items=row.items,
        version=row.version,
        url=f"/assurance/plans/{row.plan_id}",
        api_url=f"/api/v1/assurance/plans/{row.plan_id}",
        plan_url=f"/plans/{row.plan_id}",
    )


def dashboard_json(board: Dashboard) -> DashboardOut:
    return DashboardOut(
        year=board.year,
        year_label=year_label(board.year),
        page=board.page,
        pages=board.pages,
        total=len(board.rows),
        by_status=[
            CountOut(key=k, label=k.capitalize(), count=n)
            for k, n in sorted(board.by_status.items())
        ],
        by_rating=[
            CountOut(key=k, label=label, count=board.by_rating.get(k, 0))
            for k, label in RATING_LABELS.items()
        ],
        escalated=board.escalated,
        plans=[_row_json(r) for r in board.shown],
        regions=[PlaceOut(code=c, name=n) for c, n in board.regions],
        systems=[PlaceOut(code=c, name=n) for c, n in board.systems],
        years=board.years,
    )


class ChecklistItemOut(BaseModel):
    key: str
    label: str
    met: bool | None = Field(description="None: not yet answered")
    answered_by: str = Field(description="record (the plan's record answers it) or assurer")
    why: str


class AssuranceOut(BaseModel):
    """A plan's assurance: the national checklist (answered by the record where it can be), and
    the assurer's rating, conditions, comments and escalation. `version` is what a save sends
    back: 0 before the first save."""

    plan_id: int
    plan_title: str
    plan_status: str
    region: str | None
    year: int
    checklist: list[ChecklistItemOut]
    checklist_met: int
    checklist_items: int
    rating: str | None
    rating_label: str
    conditions: str | None
    comments: str | None
    escalated: bool
    escalation_note: str | None
    updated_at: datetime | None
    version: int
    url: str
    plan_url: str


def assurance_json(view: AssuranceView) -> AssuranceOut:
    record = view.record
    met, items = domain.met_count(view.checklist)
    return AssuranceOut(
        plan_id=view.plan.id,
        plan_title=view.plan.title,
        plan_status=view.plan.status,
        region=view.region.name if view.region else None,
        year=view.plan.period_start,
        checklist=[
            ChecklistItemOut(
                key=a.item.key,
                label=a.item.label,
                met=a.met,
                answered_by="record" if a.by_record else "assurer",
                why=a.why,
            )
            for a in view.checklist
        ],
        checklist_met=met,
        checklist_items=items,
        rating=record.rating if record else None,
        rating_label=RATING_LABELS[(record.rating if record else None) or NOT_RATED],
        conditions=record.conditions if record else None,
        comments=record.comments if record else None,
        escalated=record.escalated if record else False,
        escalation_note=record.escalation_note if record else None,
        updated_at=record.updated_at if record else None,
        version=record.version if record else 0,
        url=f"/assurance/plans/{view.plan.id}",
        plan_url=f"/plans/{view.plan.id}",
    )


# ---- comparisons ------------------------------------------------------------------------------


class MetricRefOut(BaseModel):
    key: str
    name: str
    unit: str
    direction: str


class ScopeOut(BaseModel):
    region: PlaceOut | None = Field(description="the region chosen; None: the asker's scope")
    areas: int


def _metric(metric: Metric) -> MetricRefOut:
    return MetricRefOut(
        key=metric.key, name=metric.name, unit=metric.unit, direction=metric.direction
    )


def _scope(found: Scope) -> ScopeOut:
    region = found.region
    return ScopeOut(
        region=PlaceOut(code=region.code, name=region.name) if region else None,
        areas=len(found.areas),
    )


class LeagueRowOut(BaseModel):
    rank: int
    area: str
    gss_code: str
    area_url: str
    period: str | None
    value: str | None = Field(description="the latest value as decimal text")
    variation: str
    variation_label: str
    assurance: str
    assurance_label: str
    ambition_period: str | None
    ambition: str | None


class LeagueOut(BaseModel):
    """Each area's latest value in scope, best first by the metric's direction."""

    metric: MetricRefOut
    scope: ScopeOut
    rows: list[LeagueRowOut]


def league_json(found: League) -> LeagueOut:
    return LeagueOut(
        metric=_metric(found.metric),
        scope=_scope(found.scope),
        rows=[
            LeagueRowOut(
                rank=rank,
                area=r.area.name,
                gss_code=r.area.gss_code,
                area_url=f"/areas/{r.area.gss_code}",
                period=r.latest.period if r.latest else None,
                value=f"{r.latest.value:.{r.places}f}" if r.latest else None,
                variation=r.variation,
                variation_label=VARIATION.get(r.variation, r.variation),
                assurance=r.assurance,
                assurance_label=ASSURANCE.get(r.assurance, r.assurance),
                ambition_period=r.ambition[0] if r.ambition else None,
                ambition=str(r.ambition[1]) if r.ambition else None,
            )
            for rank, r in enumerate(found.rows, start=1)
        ],
    )


class FunnelPointOut(BaseModel):
    area: str
    count: float
    size: float = Field(description="the population (rates) or denominator the count is over")
    value: float
    band: str = Field(description="where the value falls against the 95% and 99.8% limits")


class FunnelLimitOut(BaseModel):
    size: float
    low_95: float
    high_95: float
    low_998: float
    high_998: float


class FunnelOut(BaseModel):
    """Each area's latest figure against its population, around the pooled rate, with exact 95%
    and 99.8% limits; `method` None (and no points) where the metric's unit has no funnel."""

    metric: MetricRefOut
    scope: ScopeOut
    period: str | None
    method: str | None
    comparator: float | None
    points: list[FunnelPointOut]
    limits: list[FunnelLimitOut]


def funnel_json(found: FunnelView) -> FunnelOut:
    shape: Funnel | None = found.shape
    return FunnelOut(
        metric=_metric(found.metric),
        scope=_scope(found.scope),
        period=found.period,
        method=shape.method if shape else None,
        comparator=shape.comparator if shape and shape.points else None,
        points=[
            FunnelPointOut(area=p.name, count=p.count, size=p.size, value=p.value, band=p.band)
            for p in (shape.points if shape else [])
        ],
        limits=[
            FunnelLimitOut(
                size=lim.size,
                low_95=lim.low_95,
                high_95=lim.high_95,
                low_998=lim.low_998,
                high_998=lim.high_998,
            )
            for lim in (shape.limits if shape else [])
        ],
    )


class SpendPerHeadRowOut(BaseModel):
    area: str
    gss_code: str
    population: int | None
    by_category_pence: dict[str, int]
    total_pence: int
    per_head: dict[str, str | None] = Field(
        description="pounds per resident by category and 'total', to the penny; None without a"
        " population"
    )


class SpendPerHeadOut(BaseModel):
    year: int
    year_label: str
    years: list[int]
    scope: ScopeOut
    categories: list[LabelOut]
    rows: list[SpendPerHeadRowOut]


def _pounds(pence: int, population: int | None) -> str | None:
    shown = per_head(pence, population)
    return shown.removeprefix("£").replace(",", "") if population else None


def spend_json(found: Spend) -> SpendPerHeadOut:
    return SpendPerHeadOut(
        year=found.year,
        year_label=year_label(found.year),
        years=found.years,
        scope=_scope(found.scope),
        categories=[LabelOut(key=k, label=v) for k, v in found.categories.items()],
        rows=[
            SpendPerHeadRowOut(
                area=r.area.name,
                gss_code=r.area.gss_code,
                population=r.population,
                by_category_pence={k: r.by_category.get(k, 0) for k in found.categories},
                total_pence=r.total,
                per_head={
                    **{k: _pounds(r.by_category.get(k, 0), r.population) for k in found.categories},
                    "total": _pounds(r.total, r.population),
                },
            )
            for r in found.rows
        ],
    )
