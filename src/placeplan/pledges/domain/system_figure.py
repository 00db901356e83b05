"""A system's figure for a metric from its areas' stored counts, and an area's latest stored
figure. Pure: rows in, a figure (or the reason there is none) out; no database here.

A system-level plan (the Five-Year Plan covers Leicester, Leicestershire and Rutland) has no
figure of its own in the store, only its areas'. Rates and shares are never averaged (three
areas of very different sizes would each count alike); the system figure is worked out again
from the summed counts, and only for a period in which EVERY area of the system has counts, so
it never silently leaves an area out:

    percentage         sum(numerators) / sum(denominators) x 100
    rate_per_100k      sum(numerators) / sum(denominators) x 100,000 (a denominator is the
                       population the area's rate was computed from when the row has none)
    days               sum(numerators) / sum(denominators) (e.g. days delayed per discharge)
    count              sum(numerators)
    rate_per_100k_dsr  the age bands' events and people summed across the areas, band by band,
                       and standardised again (ESP 2013): the areas' all-ages DSRs cannot be
                       summed, and their counts alone give a crude rate, not a standardised one
    minutes, years     none: a 90th centile or a life expectancy is not a ratio of counts

The latest period is the one that ends last (a shorter one first when two end together).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_span
from placeplan.measures.domain.standardise import BandCount, dsr

RATIO_SCALES: dict[str, Decimal] = {
    "percentage": Decimal(100),
    "rate_per_100k": Decimal(100_000),
    "days": Decimal(1),
}
SUMMED = frozenset({"count"})
STANDARDISED = frozenset({"rate_per_100k_dsr"})
NOT_COMBINED = {
    "minutes": "a time in minutes, such as a 90th centile, cannot be added up across areas",
    "years": "a figure in years, such as a life expectancy, cannot be added up across areas",
}
NO_COMPLETE_PERIOD = "not every area has counts for a period"


@dataclass(frozen=True)
class Row:
    """One stored figure of an area: its counts where known, its value as stored.
    `breakdown` is "all" for the all-persons figure, "age_band" for a band's counts."""

    area: str
    period: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None = None
    breakdown: str = "all"
    band: str = "all"
    illustrative: bool = False


@dataclass(frozen=True)
class Figure:
    """A stored figure to show beside a measure's typed latest value. `value` None: there is no
    figure, and `reason` says why."""

    value: Decimal | None
    period: str | None
    areas: tuple[str, ...]
    method: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    illustrative: bool = False
    reason: str | None = None
    # The counts each area contributed (numerator, denominator), for small-number checks.
    cells: tuple[tuple[Decimal | None, Decimal | None], ...] = ()


def _order(label: str) -> tuple[object, object]:
    period = parse_span(label)
    # Ends last first; of two ending together the shorter (later start) is the more recent.
    return (period.end, period.start)


def _latest(labels: set[str]) -> str | None:
    parseable = []
    for label in labels:
        try:
            parseable.append((_order(label), label))
        except InputError:
            continue  # a period the pledges' rules cannot place is not a candidate
    return max(parseable)[1] if parseable else None


def area_figure(area: str, rows: Sequence[Row]) -> Figure:
    """The area's latest all-persons figure as stored (not recomputed: the store's value is
    already worked out from the counts where it had them)."""
    mine = {r.period: r for r in rows if r.area == area and r.breakdown == "all"}
    latest = _latest(set(mine))
    if latest is None:
        return Figure(None, None, (area,), "", reason=f"no stored figure for {area} yet")
    row = mine[latest]
    return Figure(
        row.value,
        latest,
        (area,),
        "the area's latest stored figure",
        row.numerator,
        row.denominator,
        row.illustrative,
        cells=((row.numerator, row.denominator),),
    )


def system_figure(unit: str, areas: Sequence[str], rows: Sequence[Row]) -> Figure:
    """The system's figure for the latest period in which every one of `areas` has counts."""
    names = tuple(areas)
    if not names:
        return Figure(None, None, names, "", reason="the system has no areas")
    if unit in NOT_COMBINED:
        return Figure(None, None, names, "", reason=NOT_COMBINED[unit])
    if unit in STANDARDISED:
        return _standardised(names, rows)
    if unit not in RATIO_SCALES and unit not in SUMMED:
        return Figure(
            None,
            None,
            names,
            "",
            reason=f"a figure in {unit.replace('_', ' ')} cannot be combined across areas",
        )
    needs_denominator = unit in RATIO_SCALES
    by_period: dict[str, dict[str, Row]] = {}
    for row in rows:
        if row.breakdown != "all" or row.area not in names or row.numerator is None:
            continue
        if needs_denominator and not row.denominator:
            continue
        by_period.setdefault(row.period, {})[row.area] = row
    complete = {p for p, got in by_period.items() if len(got) == len(set(names))}
    latest = _latest(complete)
    if latest is None:
        return Figure(None, None, names, "", reason=NO_COMPLETE_PERIOD)
    chosen = [by_period[latest][a] for a in dict.fromkeys(names)]
    numerator = sum((r.numerator for r in chosen if r.numerator is not None), Decimal(0))
    cells = tuple((r.numerator, r.denominator) for r in chosen)
    illustrative = any(r.illustrative for r in chosen)
    if unit in SUMMED:
        return Figure(
            numerator,
            latest,
            names,
            f"the sum of the {len(chosen)} areas' counts",
            numerator,
            None,
            illustrative,
            cells=cells,
        )
    denominator = sum((r.denominator for r in chosen if r.denominator is not None), Decimal(0))
    value = numerator / denominator * RATIO_SCALES[unit]
    per = {"percentage": "x 100", "rate_per_100k": "per 100,000", "days": ""}[unit]
    return Figure(
        value,
        latest,
        names,
        f"the {len(chosen)} areas' numerators summed over their denominators summed {per}".strip(),
        numerator,
        denominator,
        illustrative,
        cells=cells,
    )


def _standardised(names: tuple[str, ...], rows: Sequence[Row]) -> Figure:
    # period -> area -> band -> (events, people)
    bands: dict[str, dict[str, dict[str, tuple[Decimal, Decimal]]]] = {}
    flagged: dict[str, bool] = {}
    for row in rows:
        if (
            row.breakdown != "age_band"
            or row.area not in names
            or row.numerator is None
            or not row.denominator
        ):
            continue
        bands.setdefault(row.period, {}).setdefault(row.area, {})[row.band] = (
            row.numerator,
            row.denominator,
        )
        flagged[row.period] = flagged.get(row.period, False) or row.illustrative
    # Every area must give the same bands, or the summed bands would mix age ranges.
    complete = {
        period
        for period, got in bands.items()
        if len(got) == len(set(names)) and len({frozenset(b) for b in got.values()}) == 1
    }
    while (latest := _latest(complete)) is not None:
        got = bands[latest]
        summed: dict[str, tuple[Decimal, Decimal]] = {}
        for area_bands in got.values():
            for band, (events, people) in area_bands.items():
                before = summed.get(band, (Decimal(0), Decimal(0)))
                summed[band] = (before[0] + events, before[1] + people)
        try:
            # each area's bands were checked against the metric's age range on import
            result = dsr([BandCount(b, e, p) for b, (e, p) in summed.items()], ages=None)
        except InputError:
            complete.discard(latest)  # bands that cannot be standardised: try an earlier period
            continue
        if result.value is None:
            return Figure(None, latest, names, "", reason=result.reason)
        cells = tuple(
            (
                sum((e for e, _ in got[a].values()), Decimal(0)),
                sum((p for _, p in got[a].values()), Decimal(0)),
            )
            for a in dict.fromkeys(names)
        )
        return Figure(
            result.value,
            latest,
            names,
            f"age-standardised (ESP 2013) from the {len(got)} areas' counts summed by age band",
            result.count,
            result.population,
            flagged.get(latest, False),
            cells=cells,
        )
    return Figure(
        None,
        None,
        names,
        "",
        reason=f"{NO_COMPLETE_PERIOD} by age band (an age-standardised rate needs them)",
    )
