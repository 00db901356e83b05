"""A metric's figures in an area as a reader may see them: the series, its SPC chart, ambitions
and standing, commentary, and which figures are withheld from this reader (small numbers are
withheld from signed-out readers, `placeplan.measures.domain.suppression`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.areas.service import get_area
from placeplan.core.actor import Actor
from placeplan.core.hooks import Hook
from placeplan.core.periods import parse_reporting_period
from placeplan.measures.domain.ambitions import ChangeCheck, Status
from placeplan.measures.domain.frequency import as_at, kind_of, split_by_frequency, target_for
from placeplan.measures.domain.spc import SpcChart, xmr
from placeplan.measures.domain.suppression import Cell, Reason, suppress_series
from placeplan.measures.models import Ambition, Measurement, Metric, MetricCommentary
from placeplan.measures.service.ambitions import ambitions_for, check_ambition, standing_by_period
from placeplan.measures.service.commentary import can_comment, commentaries_for
from placeplan.measures.service.metrics import get_metric, has_breakdowns, series
from placeplan.measures.service.spc_marks import ChartMarks, can_mark, marks_of


def spc_of(
    pairs: list[tuple[str, Decimal]],
    direction: str,
    target: float | None,
    marks: ChartMarks,
) -> SpcChart:
    """The XmR chart of `pairs` with the recorded recalculations and baseline (a recalculation
    at a period the series lacks, or a baseline longer than the series, is left out)."""
    periods = {p for p, _ in pairs}
    fix = marks.baseline_points
    return xmr(
        pairs,
        direction,  # type: ignore[arg-type]
        target=target,
        rebase=[r.period for r in marks.rebases if r.period in periods],
        fix_after=fix if fix is not None and fix < len(pairs) else None,
    )


linked_interventions: Hook[Callable[[Session, Actor, str, int], list[tuple[int, str]]]] = Hook(
    "measures.linked_interventions",
    "the plan interventions linked to a metric in an area, by the financial year they start",
)


def _year_start(year: int, frequency: str) -> str:
    """The chart period a financial year starts in: April, its first quarter, or the year."""
    if frequency == "month":
        return f"{year}-04"
    fy = f"{year}-{(year + 1) % 100:02d}"
    return f"{fy} Q1" if frequency == "quarter" else fy


def linked(
    session: Session, actor: Actor, metric: Metric, area: Area, periods: set[str]
) -> list[tuple[str, str]]:
    """The linked interventions that start within the chart: (period, text)."""
    found = linked_interventions.call(session, actor, metric.key, area.id)
    starts = [(_year_start(year, metric.frequency), text) for year, text in found]
    return [(period, text) for period, text in starts if period in periods]


def chart(
    session: Session, metric: Metric, area: Area, at: date | None = None
) -> tuple[list[Measurement], SpcChart | None]:
    """The metric's all-persons series in the area (as at `at`, when given), and its XmR chart
    over the figures of one frequency (`domain.frequency.split_by_frequency`; None with fewer than
    two), with its recorded marks."""
    rows = as_at(series(session, metric.id, area.id), _period, at)
    charted, _others = split_by_frequency(rows, _period, metric.frequency)
    if len(charted) < 2:
        return rows, None
    aims = [(a.period, a.target) for a in ambitions_for(session, metric.id, area.id)]
    target = target_for(aims, kind_of(charted[0].period))
    marks = marks_of(session, metric.id, area.id)
    return rows, spc_of(
        [(r.period, r.value) for r in charted],
        metric.direction,
        float(target) if target is not None else None,
        marks,
    )


def _period(row: Measurement) -> str:
    return row.period


def trajectory(ambitions: list[Ambition], last: str) -> tuple[str, float] | None:
    """The latest ambition whose period ends after the last figure: where the line heads."""
    from_key = parse_reporting_period(last).sort_key
    ahead = [
        a
        for a in ambitions
        if parse_reporting_period(a.period).sort_key
        + {"year": 11, "quarter": 2}.get(parse_reporting_period(a.period).kind, 0)
        > from_key
    ]
    return (ahead[-1].period, float(ahead[-1].target)) if ahead else None


@dataclass(frozen=True)
class MetricView:
    area: Area
    metric: Metric
    rows: list[Measurement]
    spc: SpcChart | None
    small: dict[str, Reason]  # periods whose figures rest on small numbers, and why
    withheld: frozenset[str]  # periods whose counts and value this reader may not see
    signed_in: bool
    ambitions: list[tuple[Ambition, ChangeCheck | None]]
    targets: dict[str, Decimal]
    standing: dict[str, Status]
    notes: dict[str, MetricCommentary]  # the commentary this reader may see, by period
    has_breakdowns: bool
    can_comment: bool
    marks: ChartMarks
    can_mark: bool
    trajectory: tuple[str, float] | None
    interventions: list[tuple[str, str]]  # linked plan interventions on the chart: period, text
    # the figures of another frequency than the chart's, listed beside it rather than plotted
    others: list[Measurement] = field(default_factory=list)
    as_at: date | None = None  # the series as it stood at this date (None: now)

    @property
    def points_withheld(self) -> bool:
        """The chart's points, means and limits would give a withheld figure back: the reader
        gets the variation and assurance but not the points."""
        return bool(self.withheld)


def metric_view(
    session: Session, actor: Actor, gss_code: str, key: str, at: date | None = None
) -> MetricView:
    """The metric `key` in the area `gss_code`, as `actor` may see it; with `at`, as it stood at
    that date (only the figures of periods ended by then)."""
    area = get_area(session, gss_code)
    metric = get_metric(session, key)
    rows, spc = chart(session, metric, area, at)
    signed_in = actor.principal is not None
    small = suppress_series([Cell(r.period, r.numerator, r.denominator) for r in rows])
    found = ambitions_for(session, metric.id, area.id)
    return MetricView(
        area=area,
        metric=metric,
        rows=rows,
        spc=spc,
        small=small,
        withheld=frozenset() if signed_in else frozenset(small),
        signed_in=signed_in,
        ambitions=[(a, check_ambition(a)) for a in found],
        targets={a.period: a.target for a in found},
        standing=standing_by_period(rows, found, metric.direction),
        notes=commentaries_for(session, actor, metric, area),
        has_breakdowns=has_breakdowns(session, metric.id, area.id),
        can_comment=can_comment(actor, area),
        marks=marks_of(session, metric.id, area.id),
        can_mark=can_mark(actor, area),
        trajectory=trajectory(
            [a for a in found if kind_of(a.period) == kind_of(spc.points[-1].period)],
            spc.points[-1].period,
        )
        if spc
        else None,
        interventions=linked(session, actor, metric, area, {p.period for p in spc.points})
        if spc
        else [],
        others=split_by_frequency(rows, _period, metric.frequency)[1],
        as_at=at,
    )
