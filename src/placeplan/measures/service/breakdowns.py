"""Who is left behind: a metric's figures for an area broken down by IMD quintile, ethnic group,
sex, age band and PLUS group, with intervals, the most-to-least deprived gap and its trend, and
small numbers withheld from the public (`placeplan.measures.domain.suppression`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.areas.service import get_area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.measures.domain.breakdowns import (
    KINDS,
    QUINTILE_NAMES,
    Breakdowns,
    Figure,
    Table,
    order_key,
)
from placeplan.measures.domain.equity import QuintileGap, gap_trend, quintile_gap
from placeplan.measures.domain.intervals import Interval, proportion_interval, rate_interval
from placeplan.measures.domain.standardise import BandCount, Dsr, dsr, parse_age_range
from placeplan.measures.domain.suppression import Cell, Reason, suppress_group, suppress_series
from placeplan.measures.models import Measurement, Metric
from placeplan.measures.service.metrics import get_metric

__all__ = ["KINDS", "QUINTILE_NAMES", "Breakdowns", "Figure", "Table", "breakdowns", "interval_for"]


def standardised(metric: Metric, bands: Sequence[Measurement]) -> Dsr | None:
    """The all-ages standardised rate from the age bands' counts, as the import computed it;
    None without counted bands."""
    counted = [b for b in bands if b.numerator is not None and b.denominator is not None]
    if not counted:
        return None
    return dsr(
        [BandCount(b.breakdown_value, b.numerator, b.denominator) for b in counted],  # type: ignore[arg-type]
        ages=parse_age_range(metric.age_range),
    )


def no_total_reason(metric: Metric, bands: Sequence[Measurement]) -> str | None:
    """Why an age-standardised metric has no all-ages figure for a period with age bands."""
    if metric.unit != "rate_per_100k_dsr" or not bands:
        return None
    try:
        found = standardised(metric, bands)
    except (InputError, ArithmeticError):
        return "no age-standardised rate: the age bands do not cover the rate's ages"
    return None if found is None else found.reason


def interval_for(
    metric: Metric, row: Measurement, bands: Sequence[Measurement] = ()
) -> Interval | None:
    """The 95% interval OHID would give this figure, where its counts allow one."""
    num, den = row.numerator, row.denominator
    if num is None:
        return None
    try:
        if metric.unit == "percentage" and den:
            return proportion_interval(float(num), float(den))
        if metric.unit == "rate_per_100k":
            base = den if den is not None else row.population_used
            return rate_interval(float(num), float(base)) if base else None
        if metric.unit == "rate_per_100k_dsr" and den:
            if row.breakdown == "age_band":
                return rate_interval(float(num), float(den))
            found = standardised(metric, bands) if row.recomputable else None
            if found is not None and found.lower is not None and found.upper is not None:
                return Interval(found.lower, found.upper, "Dobson's method")
    except (ValueError, ArithmeticError, InputError):
        # Counts that cannot give an interval (bands stored before a rule tightened, say) show
        # the figure without one rather than break the page.
        return None
    return None


def _figure(
    metric: Metric,
    row: Measurement,
    label: str,
    small: Reason | None,
    public: bool,
    bands: Sequence[Measurement] = (),
) -> Figure:
    return Figure(
        key=row.breakdown_value,
        label=label,
        numerator=row.numerator,
        denominator=row.denominator,
        value=row.value,
        interval=interval_for(metric, row, bands),
        recomputable=row.recomputable,
        illustrative=row.illustrative,
        source=row.source,
        small=small,
        withheld=public and small is not None,
    )


def breakdowns(
    session: Session, metric: Metric, area: Area, period: str | None, public: bool
) -> Breakdowns:
    """The breakdowns of `period` (the latest with any, when None), for a public reader or not."""
    rows = list(
        session.scalars(
            select(Measurement)
            .where(Measurement.metric_id == metric.id, Measurement.area_id == area.id)
            .order_by(Measurement.period_sort)
        )
    )
    periods = tuple(dict.fromkeys(r.period for r in rows if r.breakdown != "all"))
    chosen = period if period in periods else (periods[-1] if periods else None)
    by_period: dict[str, dict[str, list[Measurement]]] = {}
    for r in rows:
        by_period.setdefault(r.period, {}).setdefault(r.breakdown, []).append(r)

    def group_hidden(found: list[Measurement]) -> dict[str, Reason]:
        return suppress_group([Cell(r.breakdown_value, r.numerator, r.denominator) for r in found])

    tables: list[Table] = []
    total: Figure | None = None
    no_total: str | None = None
    gap: QuintileGap | None = None
    gap_withheld = False
    if chosen is not None:
        kinds = by_period[chosen]
        bands = kinds.get("age_band", [])
        for r in kinds.get("all", []):
            hidden = suppress_series([Cell(r.breakdown_value, r.numerator, r.denominator)])
            total = _figure(metric, r, "All people", hidden.get(r.breakdown_value), public, bands)
        if total is None:
            no_total = no_total_reason(metric, bands)
        extra = sorted(k for k in kinds if k != "all" and k not in KINDS)
        for kind in [*[k for k in KINDS if k in kinds], *extra]:
            found = sorted(kinds[kind], key=lambda r: order_key(kind, r.breakdown_value))
            hidden = group_hidden(found)
            figures = tuple(
                _figure(
                    metric,
                    r,
                    QUINTILE_NAMES.get(r.breakdown_value, r.breakdown_value)
                    if kind == "imd_quintile"
                    else r.breakdown_value,
                    hidden.get(r.breakdown_value),
                    public,
                )
                for r in found
            )
            tables.append(
                Table(kind, KINDS.get(kind, kind.replace("_", " ").capitalize()), figures)
            )
        gap, gap_withheld = _gap(chosen, kinds.get("imd_quintile", []), public, group_hidden)
    series: list[tuple[str, dict[int, Decimal]]] = []
    for p in periods:
        found_gap, withheld = _gap(p, by_period[p].get("imd_quintile", []), public, group_hidden)
        if found_gap is not None and not withheld:
            series.append(
                (
                    p,
                    {
                        1: Decimal(str(found_gap.most_deprived)),
                        5: Decimal(str(found_gap.least_deprived)),
                    },
                )
            )
    trend = gap_trend(series) if series else None
    return Breakdowns(
        periods, chosen, total, tuple(tables), gap, gap_withheld, trend, no_total=no_total
    )


def _gap(
    period: str,
    quintiles: list[Measurement],
    public: bool,
    group_hidden: Callable[[list[Measurement]], dict[str, Reason]],
) -> tuple[QuintileGap | None, bool]:
    values = {r.breakdown_value: r for r in quintiles}
    if "1" not in values or "5" not in values:
        return None, False
    hidden = group_hidden(quintiles)
    if public and ("1" in hidden or "5" in hidden):
        # Either end and the gap would give the other.
        return None, True
    return quintile_gap(period, {1: values["1"].value, 5: values["5"].value}), False


@dataclass(frozen=True)
class BreakdownsView:
    area: Area
    metric: Metric
    found: Breakdowns
    signed_in: bool


def breakdowns_view(
    session: Session, actor: Actor, gss_code: str, key: str, period: str | None
) -> BreakdownsView:
    """The breakdowns of the metric `key` in the area `gss_code` as `actor` may see them:
    signed-out readers get small numbers withheld."""
    area = get_area(session, gss_code)
    metric = get_metric(session, key)
    public = actor.principal is None
    return BreakdownsView(
        area, metric, breakdowns(session, metric, area, period, public), not public
    )
