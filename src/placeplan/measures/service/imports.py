"""Measurements imported with validation, all or nothing: rates computed from counts (and the
area's population where a rate has no denominator), all-ages DSRs from counts by age band.

Rows are matched to what is stored by metric, area, period and breakdown: a measurement whose
figures are the same writes nothing, one whose figures differ is updated in place (one audited
update), and a new one is added. `check_rows` works that out writing nothing (for a preview);
`write_rows` writes it. Only an editor of each row's area may import it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.domain import population_aged
from placeplan.areas.models import Area, AreaPopulation
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_reporting_period
from placeplan.core.permissions import EDITING_ROLES, can_edit_plan, require
from placeplan.measures.domain.differences import COMPARED, differs
from placeplan.measures.domain.differences import stored as stored_as
from placeplan.measures.domain.fields import measurement_limits
from placeplan.measures.domain.standardise import BandCount, dsr, parse_age_range, parse_band
from placeplan.measures.domain.values import parse_decimal, value_from_counts
from placeplan.measures.io.measurements import read_rows as _read_rows
from placeplan.measures.models import Measurement, Metric
from placeplan.measures.service.metrics import get_metric
from placeplan.store.changes import add_many_recorded, update_many_recorded

Key = tuple[int, str, str, str]  # area id, period, breakdown, breakdown value


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, fields) from a CSV or xlsx file with the COLUMNS header; row 1 is the header."""
    return _read_rows(path)


def population_for(session: Session, area_id: int, year: int, age: int) -> tuple[int, int] | None:
    """People aged `age`+ in the area, from the recorded year nearest `year`: (people, year used)."""
    rows = session.scalars(select(AreaPopulation).where(AreaPopulation.area_id == area_id)).all()
    years = sorted({r.year for r in rows}, key=lambda y: (abs(y - year), -y))
    if not years:
        return None
    chosen = years[0]
    bands = {r.age_band: r.population for r in rows if r.year == chosen}
    return population_aged(bands, age), chosen


def compute_value(
    metric: Metric, numerator: Decimal | None, denominator: Decimal | None, population: int | None
) -> Decimal | None:
    """The metric's value from counts, or None where the counts cannot give it."""
    return value_from_counts(metric.unit, numerator, denominator, population)


def require_importer(actor: Actor) -> None:
    """Only an editor or admin (of some area) imports measurements; which areas is per row."""
    require(
        actor.trusted or (actor.principal is not None and actor.principal.role in EDITING_ROLES),
        "import measurements",
    )


def require_area(actor: Actor, area: Area) -> None:
    """Figures for an area are for the editors of the organisations with a part in it."""
    require(can_edit_plan(actor, area.id, None), f"import measurements for {area.name}")


@dataclass
class CheckedRows:
    """A checked import: the measurements to add, those to update (with their new figures) and
    how many rows are already stored as they are, with the areas and stored measurements read."""

    metric: Metric
    adds: list[Measurement] = field(default_factory=list)
    updates: list[tuple[Measurement, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[Measurement] = field(default_factory=list)
    areas: dict[int, Area] = field(default_factory=dict)
    too_few: list[str] = field(default_factory=list)  # "area period": no DSR below 10 events

    @property
    def written(self) -> int:
        return len(self.adds) + len(self.updates)


def import_rows(
    session: Session,
    actor: Actor,
    metric_key: str,
    rows: Sequence[tuple[int, dict[str, str]]],
    file: str | None = None,
    source: str | None = None,
    illustrative: bool = False,
) -> int:
    """Check every row, then write the new and changed ones, or nothing: the first problem names
    row and field. How many measurements were written (added or updated)."""
    checked = check_rows(session, actor, metric_key, rows, file, source, illustrative)
    write_rows(session, actor, checked)
    return checked.written


def write_rows(session: Session, actor: Actor, checked: CheckedRows) -> None:
    """Add the new measurements and update the changed ones, each audited, in the caller's
    transaction (the flush renews the measures' revision token: service.revisions)."""
    update_many_recorded(session, actor, "measurement", checked.updates)  # as a preview lists
    add_many_recorded(session, actor, "measurement", checked.adds)


def check_rows(
    session: Session,
    actor: Actor,
    metric_key: str,
    rows: Sequence[tuple[int, dict[str, str]]],
    file: str | None = None,
    source: str | None = None,
    illustrative: bool = False,
) -> CheckedRows:
    """Check every row and match it to what is stored, writing nothing.

    One piece: each row's checks read the maps built as the rows go (seen keys, populations,
    age bands waiting for their all-ages DSR), and nothing is decided until all have passed."""
    require_importer(actor)
    metric = get_metric(session, metric_key)
    areas = {a.gss_code: a for a in session.scalars(select(Area))}
    allowed: set[int] = set()
    populations: dict[tuple[int, int], tuple[int, int] | None] = {}
    seen: set[tuple[int, str, str, str]] = set()
    new: list[Measurement] = []
    # (area id, period) -> age bands with counts, and all-ages rows waiting for their DSR.
    standardised: dict[tuple[int, str], list[tuple[int, str, Decimal, Decimal]]] = {}
    pending_all: dict[tuple[int, str], tuple[int, int]] = {}
    all_rows: dict[tuple[int, str], int] = {}
    for number, fields in rows:
        code = fields.get("area_code", "").upper()
        area = areas.get(code)
        if area is None:
            raise InputError(
                f"no area with GSS code '{code}'", file=file, row=number, field="area_code"
            )
        if area.id not in allowed:
            require_area(actor, area)
            allowed.add(area.id)
        try:
            period = parse_reporting_period(fields.get("period", ""), row=number)
        except InputError as exc:
            exc.file = file
            raise
        breakdown = fields.get("breakdown") or "all"
        breakdown_value = fields.get("breakdown_value") or "all"
        key = (area.id, period.label, breakdown, breakdown_value)
        if key in seen:
            raise InputError(
                f"{code} has a figure for {period.label}"
                + ("" if breakdown == "all" else f" ({breakdown} {breakdown_value})")
                + " in an earlier row of this file",
                file=file,
                row=number,
                field="period",
            )
        seen.add(key)
        if breakdown == "all":
            all_rows[(area.id, period.label)] = number
        numerator = parse_decimal(fields.get("numerator"), number, "numerator", file)
        denominator = parse_decimal(fields.get("denominator"), number, "denominator", file)
        typed = parse_decimal(fields.get("value"), number, "value", file)
        if denominator is not None and denominator == 0:
            raise InputError(
                "the denominator is zero: no rate can be computed",
                file=file,
                row=number,
                field="denominator",
            )
        measurement_limits(metric.unit).check(
            {"numerator": numerator, "denominator": denominator, "value": typed},
            file=file,
            row=number,
        )
        population = None
        if metric.population_age and denominator is None and numerator is not None:
            cache_key = (area.id, period.calendar_year)
            if cache_key not in populations:
                populations[cache_key] = population_for(
                    session, area.id, period.calendar_year, metric.population_age
                )
            found = populations[cache_key]
            population = found[0] if found else None
        computed = compute_value(metric, numerator, denominator, population)
        if metric.unit == "rate_per_100k_dsr" and breakdown == "age_band":
            # Within one age band a standardised rate is the band's crude rate.
            try:
                parse_band(breakdown_value)
            except InputError as exc:
                exc.file, exc.row = file, number
                raise
            if numerator is not None and denominator is not None:
                computed = numerator / denominator * 100_000
                standardised.setdefault((area.id, period.label), []).append(
                    (number, breakdown_value, numerator, denominator)
                )
        if (
            metric.unit == "rate_per_100k_dsr"
            and breakdown == "all"
            and computed is None
            and typed is None
        ):
            # Filled in below from this file's age bands, or refused there if it has none.
            pending_all[(area.id, period.label)] = (number, len(new))
        elif computed is None and typed is None:
            raise InputError(
                "give the counts (numerator and denominator, or a numerator and the area's population) "
                "or a published value",
                file=file,
                row=number,
                field="value",
            )
        new.append(
            Measurement(
                metric_id=metric.id,
                area_id=area.id,
                period=period.label,
                period_sort=period.sort_key,
                numerator=numerator,
                denominator=denominator,
                value=computed if computed is not None else (typed or Decimal(0)),
                breakdown=breakdown,
                breakdown_value=breakdown_value,
                recomputable=computed is not None,
                population_used=population,
                source=source,
                illustrative=illustrative,
            )
        )
    too_few: list[str] = []
    if standardised or pending_all:
        too_few = _standardise_all_ages(
            metric, new, standardised, pending_all, all_rows, areas, file, source
        )
    checked = _matched(session, metric, new, {a.id: a for a in areas.values()})
    checked.too_few = too_few
    return checked


def _matched(
    session: Session, metric: Metric, new: list[Measurement], areas: dict[int, Area]
) -> CheckedRows:
    """The checked measurements sorted into new ones, changed ones (updated in place, source and
    all) and those already stored with the same figures (nothing written)."""
    stored: dict[Key, Measurement] = {
        (m.area_id, m.period, m.breakdown, m.breakdown_value): m
        for m in session.scalars(select(Measurement).where(Measurement.metric_id == metric.id))
    }
    checked = CheckedRows(metric, areas=areas)
    for m in new:
        found = stored.get((m.area_id, m.period, m.breakdown, m.breakdown_value))
        if found is None:
            checked.adds.append(m)
            continue
        figures = {k: stored_as(k, getattr(m, k)) for k in (*COMPARED, "source", "illustrative")}
        if differs({k: getattr(found, k) for k in COMPARED}, figures):
            checked.updates.append((found, figures))
        else:
            checked.unchanged.append(found)
    return checked


def _all_ages(
    band: Measurement, count: Decimal, population: Decimal, value: Decimal, note: str
) -> Measurement:
    """The all-ages measurement standardised from the bands `band` is one of."""
    return Measurement(
        metric_id=band.metric_id,
        area_id=band.area_id,
        period=band.period,
        period_sort=band.period_sort,
        numerator=count,
        denominator=population,
        value=value,
        breakdown="all",
        breakdown_value="all",
        recomputable=True,
        population_used=None,
        source=note[:300],
        illustrative=band.illustrative,
    )


def _standardise_all_ages(
    metric: Metric,
    new: list[Measurement],
    standardised: dict[tuple[int, str], list[tuple[int, str, Decimal, Decimal]]],
    pending_all: dict[tuple[int, str], tuple[int, int]],
    all_rows: dict[tuple[int, str], int],
    areas: dict[str, Area],
    file: str | None,
    source: str | None,
) -> list[str]:
    """The all-ages DSR of each area and period that has counts by age band in this import;
    returns the areas and periods left without one for having fewer than 10 events.

    An all-ages row in the file with counts but no value takes the DSR; one with a published
    value would contradict the bands, so it is refused; one already stored is updated if the
    DSR differs (the preview shows it). An all-ages row with neither a value nor bands is
    refused as before."""
    codes = {a.id: a.gss_code for a in areas.values()}
    dropped: set[int] = set()
    too_few: list[str] = []
    areas_by_id = {a.id: a for a in areas.values()}
    for (area_id, period), bands in standardised.items():
        first_row = bands[0][0]
        code = codes[area_id]
        if (area_id, period) in all_rows and (area_id, period) not in pending_all:
            raise InputError(
                f"{code} {period}: the all-ages rate is computed from the age-band counts in"
                " this file, so leave its value empty (or leave the all-ages row out)",
                file=file,
                row=all_rows[(area_id, period)],
                field="value",
            )
        try:
            result = dsr(
                [BandCount(label, events, people) for _, label, events, people in bands],
                ages=parse_age_range(metric.age_range),
            )
        except InputError as exc:
            exc.file, exc.row = file, first_row
            raise
        if result.value is None:
            # Fewer than 10 events: no all-ages rate (the breakdowns page says why); an
            # all-ages row in the file with counts only is left out rather than stored empty.
            if (area_id, period) in pending_all:
                _, index = pending_all.pop((area_id, period))
                dropped.add(index)
            too_few.append(f"{areas_by_id[area_id].name} {period}")
            continue
        note = f"{source}; {result.method}" if source else result.method
        if (area_id, period) in pending_all:
            _, index = pending_all.pop((area_id, period))
            row = new[index]
            row.value, row.recomputable, row.source = result.value, True, note[:300]
            if row.numerator is None:
                row.numerator, row.denominator = result.count, result.population
        else:
            template = next(m for m in new if m.area_id == area_id and m.period == period)
            new.append(_all_ages(template, result.count, result.population, result.value, note))
    if dropped:
        new[:] = [m for i, m in enumerate(new) if i not in dropped]
    for number, _index in pending_all.values():
        raise InputError(
            "give the counts by age band (breakdown age_band) or a published value",
            file=file,
            row=number,
            field="value",
        )
    return too_few
