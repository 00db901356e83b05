"""Metrics, measurements and ambitions: import with validation, rates from counts, SPC, the board."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.areas.domain import population_aged
from placeplan.areas.models import Area, AreaPopulation
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.measures.ambitions import (
    ChangeCheck,
    Status,
    check_change,
    on_track,
    on_track_by_period,
)
from placeplan.measures.models import Ambition, Measurement, MeasuresRevision, Metric
from placeplan.measures.periods import parse_reporting_period
from placeplan.measures.spc import SpcChart, xmr
from placeplan.measures.standardise import BandCount, dsr, parse_band
from placeplan.measures.suppression import Cell, is_primary
from placeplan.store import audit
from placeplan.store.changes import add_recorded

COLUMNS = (
    "area_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "breakdown",
    "breakdown_value",
)
UNITS = ("rate_per_100k", "rate_per_100k_dsr", "percentage", "days", "minutes", "years", "count")


def list_metrics(session: Session) -> list[Metric]:
    return list(session.scalars(select(Metric).order_by(Metric.name)))


def get_metric(session: Session, key: str) -> Metric:
    metric = session.scalar(select(Metric).where(Metric.key == key))
    if metric is None:
        raise NotFound(f"no metric {key}")
    return metric


def add_metric(session: Session, actor: Actor, item: dict[str, Any]) -> Metric:
    require(can_manage_reference_data(actor), "add a metric")
    if item.get("unit") not in UNITS:
        raise InputError(f"unit must be one of {', '.join(UNITS)}", field="unit")
    if item.get("direction") not in ("higher", "lower", "neither"):
        raise InputError("direction must be higher, lower or neither", field="direction")
    if session.scalar(select(Metric).where(Metric.key == item["key"])) is not None:
        raise InputError(f"metric {item['key']} already exists", field="key")
    fields = (
        "key",
        "name",
        "definition",
        "numerator",
        "denominator",
        "unit",
        "population_age",
        "direction",
        "frequency",
        "source",
    )
    return add_recorded(session, actor, "metric", Metric(**{k: item.get(k) for k in fields}))


def population_for(session: Session, area_id: int, year: int, age: int) -> tuple[int, int] | None:
    """People aged `age`+ in the area, from the recorded year nearest `year`: (people, year used)."""
    rows = session.scalars(select(AreaPopulation).where(AreaPopulation.area_id == area_id)).all()
    years = sorted({r.year for r in rows}, key=lambda y: (abs(y - year), -y))
    if not years:
        return None
    chosen = years[0]
    bands = {r.age_band: r.population for r in rows if r.year == chosen}
    return population_aged(bands, age), chosen


def _decimal(text: Any, row: int, field: str, file: str | None) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        number = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise InputError(f"'{text}' is not a number", file=file, row=row, field=field) from exc
    if not number.is_finite():
        raise InputError(f"'{text}' is not a finite number", file=file, row=row, field=field)
    return number


def compute_value(
    metric: Metric, numerator: Decimal | None, denominator: Decimal | None, population: int | None
) -> Decimal | None:
    """The metric's value from counts, or None where the counts cannot give it."""
    if numerator is None:
        return None
    if metric.unit == "rate_per_100k":
        base = (
            denominator
            if denominator is not None
            else (Decimal(population) if population else None)
        )
        return numerator / base * 100_000 if base else None
    if metric.unit == "percentage":
        return numerator / denominator * 100 if denominator else None
    if metric.unit in ("days", "minutes", "years", "count"):
        return numerator / denominator if denominator else numerator
    return None  # age-standardised rates need counts by age band, which rows do not carry


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, fields) from a CSV or xlsx file with the COLUMNS header; row 1 is the header."""
    name = str(path)
    if path.suffix.lower() == ".xlsx":
        from placeplan.io.xlsx_guard import check_xlsx

        check_xlsx(path)
        from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

        sheet = load_workbook(path, read_only=True, data_only=False).worksheets[0]
        grid = [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                grid = list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            raise InputError(
                "the file is not UTF-8 text (CSV) or an .xlsx workbook", file=name
            ) from exc
    if not grid:
        raise InputError("the file is empty", file=name, row=1)
    header = [h.strip().lower() for h in grid[0]]
    for required in ("area_code", "period"):
        if required not in header:
            raise InputError(
                f"the header has no {required} column (expected {','.join(COLUMNS)})",
                file=name,
                row=1,
                field=required,
            )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]} (expected {','.join(COLUMNS)})",
            file=name,
            row=1,
            field=unknown[0],
        )
    return [
        (
            number,
            {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h},
        )
        for number, cells in enumerate(grid[1:], start=2)
        if any(str(c).strip() for c in cells)
    ]


def import_rows(
    session: Session,
    actor: Actor,
    metric_key: str,
    rows: Sequence[tuple[int, dict[str, str]]],
    file: str | None = None,
    source: str | None = None,
    illustrative: bool = False,
) -> int:
    """Check every row, then write them all, or nothing: the first problem names row and field."""
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
        numerator = _decimal(fields.get("numerator"), number, "numerator", file)
        denominator = _decimal(fields.get("denominator"), number, "denominator", file)
        typed = _decimal(fields.get("value"), number, "value", file)
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
    touch(session)
    session.flush()
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


def series(
    session: Session, metric_id: int, area_id: int, breakdown: str = "all"
) -> list[Measurement]:
    return list(
        session.scalars(
            select(Measurement)
            .where(
                Measurement.metric_id == metric_id,
                Measurement.area_id == area_id,
                Measurement.breakdown == breakdown,
            )
            .order_by(Measurement.period_sort)
        )
    )


def ambitions_for(
    session: Session,
    metric_id: int | None = None,
    area_id: int | None = None,
    plan_id: int | None = None,
) -> list[Ambition]:
    query = select(Ambition).options(selectinload(Ambition.metric), selectinload(Ambition.area))
    if metric_id is not None:
        query = query.where(Ambition.metric_id == metric_id)
    if area_id is not None:
        query = query.where(Ambition.area_id == area_id)
    if plan_id is not None:
        query = query.where(Ambition.plan_id == plan_id)
    return list(session.scalars(query.order_by(Ambition.period)))


def check_ambition(ambition: Ambition) -> ChangeCheck | None:
    if ambition.baseline is None or not ambition.stated_change:
        return None
    return check_change(
        ambition.baseline,
        ambition.target,
        ambition.stated_change,
        percentage_measure=ambition.metric.unit == "percentage",
    )


def add_ambition(
    session: Session,
    actor: Actor,
    metric_key: str,
    area_code: str,
    item: dict[str, Any],
    plan_id: int | None = None,
) -> Ambition:
    require(
        can_manage_reference_data(actor)
        or (actor.principal is not None and actor.principal.role in ("editor", "admin")),
        "set an ambition",
    )
    metric = get_metric(session, metric_key)
    area = session.scalar(select(Area).where(Area.gss_code == area_code))
    if area is None:
        raise InputError(f"no area with GSS code {area_code}", field="area_code")
    period = parse_reporting_period(str(item["period"]))
    touch(session)
    return add_recorded(
        session,
        actor,
        "ambition",
        Ambition(
            metric_id=metric.id,
            area_id=area.id,
            plan_id=plan_id,
            period=period.label,
            target=Decimal(str(item["target"])),
            baseline=Decimal(str(item["baseline"])) if item.get("baseline") is not None else None,
            baseline_period=item.get("baseline_period"),
            stated_change=item.get("stated_change"),
            rationale=item.get("rationale"),
            source=item.get("source"),
        ),
    )


def chart(
    session: Session, metric: Metric, area: Area
) -> tuple[list[Measurement], SpcChart | None]:
    rows = series(session, metric.id, area.id)
    monthly = [r for r in rows if parse_reporting_period(r.period).kind == metric.frequency] or rows
    if len(monthly) < 2:
        return rows, None
    targets = [a for a in ambitions_for(session, metric.id, area.id)]
    target = float(targets[-1].target) if targets else None
    return rows, xmr(
        [(r.period, r.value) for r in monthly],
        metric.direction,  # type: ignore[arg-type]
        target=target,
    )


Standing = Status | Literal["no_figure"]
STANDING = {
    "on_track": "On track",
    "off_track": "Not on track",
    "no_target": "No ambition",
    "not_applicable": "No direction to judge by",
    "no_figure": "No figure yet",
}


@dataclass(frozen=True)
class Progress:
    """An ambition and the figure for its period, judged by the metric's direction."""

    ambition: Ambition
    measurement: Measurement | None
    status: Standing


def standing_by_period(
    rows: Sequence[Measurement], ambitions: Sequence[Ambition], direction: str
) -> dict[str, Status]:
    """On-track status of each period that has both a figure and an ambition."""
    targets = {a.period: a.target for a in ambitions}
    return {
        period: status
        for period, status in on_track_by_period(
            [(r.period, r.value) for r in rows if r.period in targets],
            targets,
            direction,  # type: ignore[arg-type]
        )
    }


def progress(
    session: Session,
    metric_id: int | None = None,
    area_id: int | None = None,
    plan_id: int | None = None,
) -> list[Progress]:
    """Each ambition (of a metric and area, or of a plan) with its period's all-persons figure."""
    found = ambitions_for(session, metric_id, area_id, plan_id)
    if not found:
        return []
    figures = {
        (m.metric_id, m.area_id, m.period): m
        for m in session.scalars(
            select(Measurement).where(
                Measurement.breakdown == "all",
                Measurement.metric_id.in_({a.metric_id for a in found}),
                Measurement.area_id.in_({a.area_id for a in found}),
                Measurement.period.in_({a.period for a in found}),
            )
        )
    }
    out = []
    for a in found:
        figure = figures.get((a.metric_id, a.area_id, a.period))
        status: Standing = (
            on_track(figure.value, a.target, a.metric.direction)  # type: ignore[arg-type]
            if figure is not None
            else "no_figure"
        )
        out.append(Progress(a, figure, status))
    return out


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


# The board's SPC results, reused until a measurement or ambition changes: every such write puts a
# new random token in measures_revision, in its own transaction, whichever process makes it.
_boards: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}


def touch(session: Session) -> None:
    """A new revision token for the measures, in the caller's transaction."""
    import uuid

    row = session.get(MeasuresRevision, 1)
    if row is None:
        session.add(MeasuresRevision(id=1, token=uuid.uuid4().hex))
    else:
        row.token = uuid.uuid4().hex


def _board_key(session: Session, area_ids: tuple[int, ...]) -> tuple[Any, ...] | None:
    token = session.scalar(select(MeasuresRevision.token).where(MeasuresRevision.id == 1))
    if token is None:
        return None
    return (str(session.get_bind().engine.url), area_ids, token)


def board(session: Session, areas: Iterable[Area] | None = None) -> list[BoardRow]:
    metrics = {m.id: m for m in list_metrics(session)}
    chosen = (
        list(areas)
        if areas is not None
        else list(session.scalars(select(Area).order_by(Area.name)))
    )
    by_id = {a.id: a for a in chosen}
    key = _board_key(session, tuple(sorted(by_id)))
    computed = _boards.get(key) if key is not None else None
    if computed is None:
        raw = session.execute(
            select(
                Measurement.metric_id,
                Measurement.area_id,
                Measurement.period,
                Measurement.value,
                Measurement.numerator,
                Measurement.denominator,
            )
            .where(Measurement.breakdown == "all", Measurement.area_id.in_(list(by_id)))
            .order_by(Measurement.period_sort)
        ).all()
        grouped: dict[tuple[int, int], list[tuple[str, Decimal]]] = {}
        small: dict[tuple[int, int], bool] = {}
        for metric_id, area_id, period, value, numerator, denominator in raw:
            grouped.setdefault((metric_id, area_id), []).append((period, value))
            small[(metric_id, area_id)] = is_primary(Cell(period, numerator, denominator))
        targets: dict[tuple[int, int], float] = {}
        by_period: dict[tuple[int, int], dict[str, Decimal]] = {}
        for a in session.scalars(select(Ambition).order_by(Ambition.period)):
            targets[(a.metric_id, a.area_id)] = float(a.target)
            by_period.setdefault((a.metric_id, a.area_id), {})[a.period] = a.target
        computed = []
        for (metric_id, area_id), found in grouped.items():
            metric = metrics[metric_id]
            same = [
                f for f in found if parse_reporting_period(f[0]).kind == metric.frequency
            ] or found
            variation, assurance = "none", "none"
            if len(same) >= 2:
                spc = xmr(
                    same,
                    metric.direction,  # type: ignore[arg-type]
                    target=targets.get((metric_id, area_id)),
                )
                variation, assurance = spc.variation, spc.assurance
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
                    found[-1][0],
                    found[-1][1],
                    variation,
                    assurance,
                    len(same),
                    small[(metric_id, area_id)],
                    standing,
                )
            )
        if key is not None:
            if len(_boards) > 64:
                _boards.clear()
            _boards[key] = computed
    rows = [
        BoardRow(
            metrics[m],
            by_id[a],
            Latest(period, value, latest_small),
            variation,
            assurance,
            points,
            standing,
        )
        for m, a, period, value, variation, assurance, points, latest_small, standing in computed
    ]
    return sorted(rows, key=lambda r: (r.metric.name, r.area.name))


def has_breakdowns(session: Session, metric_id: int, area_id: int) -> bool:
    return (
        session.scalar(
            select(Measurement.id)
            .where(
                Measurement.metric_id == metric_id,
                Measurement.area_id == area_id,
                Measurement.breakdown != "all",
            )
            .limit(1)
        )
        is not None
    )


def metrics_with_data(session: Session, area_id: int) -> list[Metric]:
    return list(
        session.scalars(
            select(Metric)
            .where(
                select(Measurement.id)
                .where(Measurement.metric_id == Metric.id, Measurement.area_id == area_id)
                .exists()
            )
            .order_by(Metric.name)
        )
    )
