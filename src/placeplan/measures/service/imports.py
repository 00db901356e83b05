"""Measurements imported with validation, all or nothing: rates computed from counts (and the
area's population where a rate has no denominator), all-ages DSRs from counts by age band."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.domain import population_aged
from placeplan.areas.models import Area, AreaPopulation
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_reporting_period
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.measures.domain.standardise import BandCount, dsr, parse_band
from placeplan.measures.domain.values import parse_decimal, value_from_counts
from placeplan.measures.io.measurements import read_rows as _read_rows
from placeplan.measures.models import Measurement, Metric
from placeplan.measures.service.metrics import get_metric
from placeplan.store import audit


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


def import_rows(
    session: Session,
    actor: Actor,
    metric_key: str,
    rows: Sequence[tuple[int, dict[str, str]]],
    file: str | None = None,
    source: str | None = None,
    illustrative: bool = False,
) -> int:
    """Check every row, then write them all, or nothing: the first problem names row and field.

    One piece: each row's checks read the maps built as the rows go (seen keys, populations,
    age bands waiting for their all-ages DSR), and nothing is written until all have passed."""
    require(
        can_manage_reference_data(actor)
        or actor.principal is not None
        and actor.principal.role in ("editor", "admin"),
        "import measurements",
    )
    metric = get_metric(session, metric_key)
    areas = {a.gss_code: a for a in session.scalars(select(Area))}
    existing = {
        (m.area_id, m.period, m.breakdown, m.breakdown_value)
        for m in session.scalars(select(Measurement).where(Measurement.metric_id == metric.id))
    }
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
        try:
            period = parse_reporting_period(fields.get("period", ""), row=number)
        except InputError as exc:
            exc.file = file
            raise
        breakdown = fields.get("breakdown") or "all"
        breakdown_value = fields.get("breakdown_value") or "all"
        key = (area.id, period.label, breakdown, breakdown_value)
        if key in seen or key in existing:
            raise InputError(
                f"{code} already has a figure for {period.label}"
                + ("" if breakdown == "all" else f" ({breakdown} {breakdown_value})"),
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
        for name, figure in (("numerator", numerator), ("denominator", denominator)):
            if figure is not None and figure < 0:
                raise InputError(f"{name} cannot be negative", file=file, row=number, field=name)
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
    if standardised or pending_all:
        _standardise_all_ages(
            metric, new, standardised, pending_all, existing, all_rows, areas, file, source
        )
    session.add_all(new)
    session.flush()  # the flush renews the measures' revision token (service.revisions)
    audit.record_many(
        session, actor, [("create", "measurement", m.id, None, audit.state_of(m)) for m in new]
    )
    return len(new)


def _standardise_all_ages(
    metric: Metric,
    new: list[Measurement],
    standardised: dict[tuple[int, str], list[tuple[int, str, Decimal, Decimal]]],
    pending_all: dict[tuple[int, str], tuple[int, int]],
    existing: set[tuple[int, str, str, str]],
    all_rows: dict[tuple[int, str], int],
    areas: dict[str, Area],
    file: str | None,
    source: str | None,
) -> None:
    """The all-ages DSR of each area and period that has counts by age band in this import.

    An all-ages row in the file with counts but no value takes the DSR; one with a published
    value would contradict the bands, and one already stored cannot be silently replaced, so
    both are refused. An all-ages row with neither a value nor bands is refused as before."""
    codes = {a.id: a.gss_code for a in areas.values()}
    for (area_id, period), bands in standardised.items():
        first_row = bands[0][0]
        code = codes[area_id]
        if (area_id, period, "all", "all") in existing:
            raise InputError(
                f"{code} already has an all-ages figure for {period}, so the age-band counts"
                " cannot set it",
                file=file,
                row=first_row,
                field="breakdown",
            )
        if (area_id, period) in all_rows and (area_id, period) not in pending_all:
            raise InputError(
                f"{code} {period}: the all-ages rate is computed from the age-band counts in"
                " this file, so leave its value empty (or leave the all-ages row out)",
                file=file,
                row=all_rows[(area_id, period)],
                field="value",
            )
        try:
            result = dsr([BandCount(label, events, people) for _, label, events, people in bands])
        except InputError as exc:
            exc.file, exc.row = file, first_row
            raise
        note = f"{source}; {result.method}" if source else result.method
        if (area_id, period) in pending_all:
            _, index = pending_all.pop((area_id, period))
            row = new[index]
            row.value, row.recomputable, row.source = result.value, True, note[:300]
            if row.numerator is None:
                row.numerator, row.denominator = result.count, result.population
        else:
            template = next(m for m in new if m.area_id == area_id and m.period == period)
            new.append(
                Measurement(
                    metric_id=metric.id,
                    area_id=area_id,
                    period=period,
                    period_sort=template.period_sort,
                    numerator=result.count,
                    denominator=result.population,
                    value=result.value,
                    breakdown="all",
                    breakdown_value="all",
                    recomputable=True,
                    population_used=None,
                    source=note[:300],
                    illustrative=template.illustrative,
                )
            )
    for number, _index in pending_all.values():
        raise InputError(
            "give the counts by age band (breakdown age_band) or a published value",
            file=file,
            row=number,
            field="value",
        )
