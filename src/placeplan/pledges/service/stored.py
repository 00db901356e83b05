"""A pledge measure's latest stored figure: where the measure links a catalogue metric, the
latest all-persons measurement of the plan's area, or for a system-level plan the system figure
worked out from its areas' counts (pledges.domain.system_figure). And "use this figure": copying it
into the measure's latest value, audited and version-checked, so the status rules apply to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import require
from placeplan.measures.domain.suppression import Cell, is_primary
from placeplan.measures.models import Measurement, Metric
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.pledges.domain import system_figure
from placeplan.pledges.models import PledgeMeasure
from placeplan.pledges.service.paths import path_of
from placeplan.pledges.service.reads import (
    MeasureView,
    PledgeView,
    assess,
    can_record,
    find_measure,
    get_pledge,
    list_pledges,
)
from placeplan.pledges.service.recording import LATEST_FIELDS, record_latest
from placeplan.store.uow import check_version

WHOLE = frozenset({"count"})


@dataclass(frozen=True)
class StoredFigure:
    """What the page shows beside a measure's typed latest value."""

    metric: Metric
    kind: str  # area | system | none
    figure: system_figure.Figure
    place: str  # the area's or system's name
    links: list[tuple[str, str]] = field(default_factory=list)  # (area name, metric page)
    withheld: bool = False  # rests on fewer than 10: not shown to signed-out readers

    @property
    def value(self) -> Decimal | None:
        """The figure as shown and as copied: two decimal places (whole for counts)."""
        if self.figure.value is None:
            return None
        step = Decimal(1) if self.metric.unit in WHOLE else Decimal("0.01")
        return self.figure.value.quantize(step, rounding=ROUND_HALF_EVEN)

    @property
    def label(self) -> str:
        if self.kind == "system":
            return f"{self.place} system figure"
        return f"{self.place}'s latest stored figure"

    @property
    def reason(self) -> str:
        if self.kind == "system":
            return f"No figure for the system as a whole: {self.figure.reason}"
        return f"No stored figure: {self.figure.reason}"

    def source_text(self) -> str:
        flag = " (illustrative)" if self.figure.illustrative else ""
        return (
            f"Copied from the stored measurements of {self.metric.name}: {self.label} for"
            f" {self.figure.period}, {self.figure.method}{flag}"
        )[:300]

    def as_json(self, signed_in: bool = True) -> dict[str, Any]:
        shown = self.value is not None and (signed_in or not self.withheld)
        return {
            "metric": self.metric.key,
            "kind": self.kind,
            "label": self.label,
            "value": format(self.value, "f") if shown and self.value is not None else None,
            "period": self.figure.period if self.value is not None else None,
            "method": self.figure.method or None,
            "areas": [name for name, _ in self.links],
            "links": [href for _, href in self.links],
            "illustrative": self.figure.illustrative,
            "withheld": self.value is not None and not shown,
            "reason": None if self.value is not None else self.reason,
        }


def _rows(metric: Metric, found: Sequence[Measurement], codes: dict[int, str]) -> list[Any]:
    rows = []
    for m in found:
        denominator = m.denominator
        if denominator is None and metric.unit == "rate_per_100k" and m.population_used:
            # The import computed this rate from the area's population: that is its denominator.
            denominator = Decimal(m.population_used)
        rows.append(
            system_figure.Row(
                area=codes[m.area_id],
                period=m.period,
                numerator=m.numerator,
                denominator=denominator,
                value=m.value,
                breakdown=m.breakdown,
                band=m.breakdown_value,
                illustrative=m.illustrative,
            )
        )
    return rows


def _areas_of(session: Session, plan: Plan) -> tuple[list[Area], str, str]:
    if plan.area is not None:
        return [plan.area], "area", plan.area.name
    if plan.system is not None:
        areas = list(
            session.scalars(
                select(Area).where(Area.system_id == plan.system_id).order_by(Area.name)
            )
        )
        return areas, "system", plan.system.name
    return [], "none", "this plan"


def figures_for(
    session: Session, plan: Plan, measures: Sequence[PledgeMeasure]
) -> dict[int, StoredFigure]:
    """The stored figure of each measure that links a catalogue metric, in one query."""
    keys = {m.metric_key for m in measures if m.metric_key}
    if not keys:
        return {}
    metrics = {m.key: m for m in session.scalars(select(Metric).where(Metric.key.in_(keys)))}
    areas, kind, place = _areas_of(session, plan)
    codes = {a.id: a.gss_code for a in areas}
    names = {a.gss_code: a.name for a in areas}
    found: dict[int, list[Measurement]] = {}
    if areas:
        for row in session.scalars(
            select(Measurement).where(
                Measurement.metric_id.in_([m.id for m in metrics.values()]),
                Measurement.area_id.in_(list(codes)),
                Measurement.breakdown.in_(["all", "age_band"]),
            )
        ):
            found.setdefault(row.metric_id, []).append(row)
    out: dict[int, StoredFigure] = {}
    for measure in measures:
        metric = metrics.get(measure.metric_key or "")
        if metric is None:
            continue
        rows = _rows(metric, found.get(metric.id, []), codes)
        if kind == "area":
            code = areas[0].gss_code
            figure = system_figure.area_figure(code, rows)
            if figure.value is None:
                figure = system_figure.Figure(
                    None, None, (code,), "", reason=f"none for {place} yet"
                )
        elif kind == "system":
            figure = system_figure.system_figure(metric.unit, list(codes.values()), rows)
        else:
            figure = system_figure.Figure(
                None, None, (), "", reason="the plan has neither an area nor a system"
            )
        withheld = any(is_primary(Cell("", n, d)) for n, d in figure.cells)
        links = [
            (names[code], f"/areas/{code}/metrics/{metric.key}")
            for code in (figure.areas or tuple(codes.values()))
            if code in names
        ]
        out[measure.id] = StoredFigure(metric, kind, figure, place, links, withheld)
    return out


def attach(session: Session, plan: Plan, views: Sequence[PledgeView]) -> None:
    """Put each measure's stored figure on its view (MeasureView.stored)."""
    measures = [m for v in views for m in v.measures]
    figures = figures_for(session, plan, [m.measure for m in measures])
    for m in measures:
        m.stored = figures.get(m.measure.id)


def use_stored_figure(
    session: Session, actor: Actor, measure_id: int, expected_version: int | None
) -> PledgeMeasure:
    """Copy the measure's stored figure (worked out afresh here, never taken from the client)
    into its latest value, recording where it came from."""
    measure = session.get(PledgeMeasure, measure_id)
    if measure is None:
        raise NotFound(f"no pledge measure {measure_id}")
    plan = get_plan(session, actor, measure.plan_id)
    require(can_record(actor, plan), "record pledge measures of this plan")
    # A stale page is told so before anything about the figure: what it showed may have moved.
    check_version(session, measure, "pledge_measure", expected_version, LATEST_FIELDS)
    if not measure.metric_key:
        raise InputError(
            f"measure {measure.ref} links no catalogue metric, so there is no stored figure",
            field="stored",
        )
    stored = figures_for(session, plan, [measure])[measure.id]
    if stored.value is None:
        raise InputError(stored.reason, field="stored")
    return record_latest(
        session,
        actor,
        measure.id,
        expected_version,
        str(stored.value),
        stored.figure.period,
        illustrative=stored.figure.illustrative,
        source=stored.source_text(),
    )


def use_stored_figure_at(
    session: Session,
    actor: Actor,
    plan_id: int,
    pledge_ref: str,
    measure_ref: str,
    expected_version: int | None,
) -> PledgeMeasure:
    """use_stored_figure for the measure a page or API path names."""
    measure = find_measure(session, actor, plan_id, pledge_ref, measure_ref)
    return use_stored_figure(session, actor, measure.id, expected_version)


# What the pages and the API answer with: the pledges with each measure's stored figure, and
# what the asker may do and see.


@dataclass
class PledgesRead:
    plan: Plan
    views: list[PledgeView]
    can_record: bool
    # Figures resting on fewer than 10 are shown only to readers who are signed in.
    signed_in: bool


def read_pledges(session: Session, actor: Actor, plan_id: int) -> PledgesRead:
    """A plan's pledges, each measure with its stored figure."""
    plan, views = list_pledges(session, actor, plan_id)
    attach(session, plan, views)
    return PledgesRead(plan, views, can_record(actor, plan), actor.principal is not None)


def read_pledge(session: Session, actor: Actor, plan_id: int, ref: str) -> PledgesRead:
    """One pledge (the only view) with its linked interventions, stored figures and the yearly
    targets of the allocations its measures follow."""
    plan, view = get_pledge(session, actor, plan_id, ref)
    attach(session, plan, [view])
    return PledgesRead(plan, [view], can_record(actor, plan), actor.principal is not None)


def read_measure(
    session: Session, actor: Actor, plan_id: int, measure: PledgeMeasure, with_stored: bool = True
) -> MeasureView:
    """A measure as just saved, judged, with its stored figure unless told not to."""
    path = path_of(session, actor, measure)
    view = MeasureView(measure, assess(measure, path), path=path)
    if with_stored:
        plan = get_plan(session, actor, plan_id)
        view.stored = figures_for(session, plan, [measure]).get(measure.id)
    return view
