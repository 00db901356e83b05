"""The board: every measure's latest figure with its SPC variation and assurance and its standing
against the latest ambition, at a glance; computed once per revision of the measures and reused
(`placeplan.store.revisions.ReuseCache`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area, System
from placeplan.areas.service import get_system, list_systems
from placeplan.core.actor import Actor
from placeplan.core.periods import parse_reporting_period
from placeplan.measures.domain.ambitions import Status, on_track
from placeplan.measures.domain.frequency import (
    ended_by,
    kind_of,
    split_by_frequency,
    target_for,
)
from placeplan.measures.domain.spc_scale import chart_decimals, decimals
from placeplan.measures.domain.suppression import Cell, is_primary
from placeplan.measures.models import Ambition, Measurement, Metric, SpcRebase, SpcSetting
from placeplan.measures.service import revisions
from placeplan.measures.service.figures import spc_of
from placeplan.measures.service.metrics import list_metrics
from placeplan.measures.service.spc_marks import ChartMarks
from placeplan.store.revisions import ReuseCache

# The board's SPC results, reused until a measurement or ambition changes (a new revision token,
# whichever process writes it) and for at most an hour.
_BOARDS: ReuseCache[list[tuple[Any, ...]]] = ReuseCache(size=64, ttl=3600)


@dataclass(frozen=True)
class Latest:
    period: str
    value: Decimal
    small: bool = False  # rests on fewer than 10: withheld from signed-out readers


@dataclass(frozen=True)
class BoardRow:
    metric: Metric
    area: Area
    latest: Latest | None
    variation: str
    assurance: str
    points: int
    standing: tuple[str, Status] | None = None  # the latest period with an ambition, and status
    withheld: bool = False  # the latest figure is withheld from this reader (small numbers)
    side: str = "none"  # high or low: which MDC variation icon
    places: int = 1  # the decimals of the metric's chart here (`spc_scale.decimals`)
    ambition: tuple[str, Decimal] | None = None  # the latest ambition: period and target
    screened: bool | None = None  # the chart's moving ranges screened; None without a chart


def board(
    session: Session,
    areas: Iterable[Area] | None = None,
    actor: Actor | None = None,
    at: date | None = None,
    metric: Metric | None = None,
    metrics: list[Metric] | None = None,
) -> list[BoardRow]:
    """Every metric's latest figure, SPC reading and standing in the areas (all when None); with
    `at`, as they stood at that date (only the figures of periods ended by then); with `metric`,
    that metric's rows only (a league table); `metrics`, every metric, when the caller has read
    them. The latest figure and the icons are those of the
    chart's frequency (`domain.frequency`).

    A signed-out `actor` gets the latest figures resting on fewer than 10 withheld (`withheld`);
    no actor (the service's own callers) sees them all."""
    by_metric = {m.id: m for m in (metrics if metrics is not None else list_metrics(session))}
    chosen = (
        list(areas)
        if areas is not None
        else list(session.scalars(select(Area).order_by(Area.name)))
    )
    by_id = {a.id: a for a in chosen}
    area_ids = tuple(sorted(by_id))
    computed = _BOARDS.get_or_make(
        (str(session.get_bind().engine.url), area_ids, at),
        revisions.token(session),
        lambda: _compute(session, by_metric, area_ids, at),
    )
    public = actor is not None and actor.principal is None
    rows = [
        BoardRow(
            by_metric[m],
            by_id[a],
            Latest(period, value, latest_small),
            variation,
            assurance,
            points,
            standing,
            withheld=public and latest_small,
            side=side,
            places=places,
            ambition=ambition,
            screened=screened,
        )
        for (
            m,
            a,
            period,
            value,
            variation,
            assurance,
            points,
            latest_small,
            standing,
            side,
            places,
            ambition,
            screened,
        ) in computed
        if metric is None or m == metric.id
    ]
    return sorted(rows, key=lambda r: (r.metric.name, r.area.name))


def _compute(
    session: Session, metrics: dict[int, Metric], area_ids: tuple[int, ...], at: date | None
) -> list[tuple[Any, ...]]:
    """The board's rows as plain tuples (kept in the cache): one per metric and area with figures.

    One piece: the grouping, targets and SPC of every series are read in one pass over two
    queries, which is what keeps the board fast."""
    raw = session.execute(
        select(
            Measurement.metric_id,
            Measurement.area_id,
            Measurement.period,
            Measurement.value,
            Measurement.numerator,
            Measurement.denominator,
        )
        .where(Measurement.breakdown == "all", Measurement.area_id.in_(list(area_ids)))
        .order_by(Measurement.period_sort)
    ).all()
    grouped: dict[tuple[int, int], list[tuple[str, Decimal]]] = {}
    small: dict[tuple[int, int, str], bool] = {}
    for metric_id, area_id, period, value, numerator, denominator in raw:
        if not ended_by(period, at):
            continue
        grouped.setdefault((metric_id, area_id), []).append((period, value))
        small[(metric_id, area_id, period)] = is_primary(Cell(period, numerator, denominator))
    marks = _marks(session)
    by_period: dict[tuple[int, int], dict[str, Decimal]] = {}
    for a in session.scalars(select(Ambition).order_by(Ambition.period)):
        by_period.setdefault((a.metric_id, a.area_id), {})[a.period] = a.target
    computed: list[tuple[Any, ...]] = []
    for (metric_id, area_id), found in grouped.items():
        metric = metrics[metric_id]
        same, _others = split_by_frequency(found, lambda f: f[0], metric.frequency)
        variation, assurance, side = "none", "none", "none"
        screened: bool | None = None
        places = decimals(metric.unit, *_span([v for _, v in same]))
        if len(same) >= 2:
            aim = target_for(
                list(by_period.get((metric_id, area_id), {}).items()), kind_of(same[0][0])
            )
            target = float(aim) if aim is not None else None
            empty = ChartMarks([], [], None, None)
            spc = spc_of(same, metric.direction, target, marks.get((metric_id, area_id), empty))
            variation, assurance, side = spc.variation, spc.assurance, spc.variation_side
            screened = spc.screened
            places = chart_decimals(spc, metric.unit)
        aims = by_period.get((metric_id, area_id), {})
        judged = [(p, v) for p, v in found if p in aims]
        standing = (
            (
                judged[-1][0],
                on_track(judged[-1][1], aims[judged[-1][0]], metric.direction),  # type: ignore[arg-type]
            )
            if judged
            else None
        )
        computed.append(
            (
                metric_id,
                area_id,
                same[-1][0],
                same[-1][1],
                variation,
                assurance,
                len(same),
                small[(metric_id, area_id, same[-1][0])],
                standing,
                side,
                places,
                (list(aims.items())[-1]) if aims else None,
                screened,
            )
        )
    return computed


def _span(values: list[Decimal]) -> tuple[float, float]:
    return float(min(values)), float(max(values))


def _marks(session: Session) -> dict[tuple[int, int], ChartMarks]:
    """Every chart's recorded recalculations and baseline, by (metric, area)."""
    found: dict[tuple[int, int], ChartMarks] = {}
    for r in session.scalars(select(SpcRebase)):
        key = (r.metric_id, r.area_id)
        found.setdefault(key, ChartMarks([], [], None, None)).rebases.append(r)
    for s in session.scalars(select(SpcSetting)):
        key = (s.metric_id, s.area_id)
        before = found.get(key, ChartMarks([], [], None, None))
        found[key] = ChartMarks(before.rebases, [], s.baseline_points, s.version)
    for value in found.values():
        value.rebases.sort(key=lambda r: parse_reporting_period(r.period).sort_key)
    return found


@dataclass(frozen=True)
class BoardView:
    """One system's board at a time: a national team moves between systems rather than reading
    1,500 rows at once; filtered by area and by metric where asked."""

    systems: list[System]
    system: System | None
    rows: list[BoardRow]
    areas: list[Area]  # the system's areas with a row, to filter by
    metrics: list[Metric]  # the metrics with a row, to filter by
    area: str | None = None  # the chosen area's GSS code
    metric: str | None = None  # the chosen metric's key


def board_view(
    session: Session,
    actor: Actor,
    system: str | None = None,
    area: str | None = None,
    metric: str | None = None,
) -> BoardView:
    """The board of the system with code `system` (the first system when None) for `actor`, with
    only the rows of the area `area` (GSS code) and metric `metric` (key) when given."""
    systems = list_systems(session)
    chosen = get_system(session, system) if system else (systems[0] if systems else None)
    rows = board(session, chosen.areas if chosen else [], actor)
    areas = sorted({r.area.id: r.area for r in rows}.values(), key=lambda a: a.name)
    metrics = sorted({r.metric.id: r.metric for r in rows}.values(), key=lambda m: m.name)
    area = area or None
    metric = metric or None
    shown = [
        r
        for r in rows
        if (area is None or r.area.gss_code == area) and (metric is None or r.metric.key == metric)
    ]
    return BoardView(systems, chosen, shown, areas, metrics, area, metric)
