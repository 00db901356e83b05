"""Equity: the Core20 share of a population, and the gap between the most and least deprived.

Core20 is the 20% most deprived of the population by IMD. For each place we give the share of its
registered patients who are in Core20, and its share of the system's Core20 population, as the
Five-Year Plan's Table 2 does (percentages at one decimal place, rounded half up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_reporting_period

MOST_DEPRIVED = 1
LEAST_DEPRIVED = 5


@dataclass(frozen=True)
class Core20Place:
    name: str
    registered_patients: int
    core20_patients: int


@dataclass(frozen=True)
class Core20Share:
    name: str
    registered_patients: int
    core20_patients: int
    share_of_patients: Decimal  # fraction of the place's patients in Core20
    share_of_core20: Decimal  # fraction of the system's Core20 patients in this place

    def percent(self, fraction: Decimal, places: int = 1) -> Decimal:
        return (fraction * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def as_dict(self, places: int = 1) -> dict[str, object]:
        return {
            "name": self.name,
            "registered_patients": self.registered_patients,
            "core20_patients": self.core20_patients,
            "core20_pct_of_patients": float(self.percent(self.share_of_patients, places)),
            "pct_of_system_core20": float(self.percent(self.share_of_core20, places)),
        }


@dataclass(frozen=True)
class Core20Table:
    places: tuple[Core20Share, ...]
    system: Core20Share

    def as_dict(self, places: int = 1) -> dict[str, object]:
        return {
            "places": [place.as_dict(places) for place in self.places],
            "system": self.system.as_dict(places),
        }


def core20_shares(places: Sequence[Core20Place], system_name: str = "System") -> Core20Table:
    if not places:
        raise InputError("Core20 shares need at least one place", field="places")
    for row, place in enumerate(places, start=1):
        if place.registered_patients <= 0:
            raise InputError(
                f"{place.name}: registered patients must be more than zero",
                field="registered_patients",
                row=row,
            )
        if not 0 <= place.core20_patients <= place.registered_patients:
            raise InputError(
                f"{place.name}: Core20 patients must be between 0 and the registered patients",
                field="core20_patients",
                row=row,
            )
    registered = sum(place.registered_patients for place in places)
    core20 = sum(place.core20_patients for place in places)

    def share(name: str, patients: int, deprived: int) -> Core20Share:
        return Core20Share(
            name=name,
            registered_patients=patients,
            core20_patients=deprived,
            share_of_patients=Decimal(deprived) / Decimal(patients),
            share_of_core20=Decimal(deprived) / Decimal(core20) if core20 else Decimal(0),
        )

    return Core20Table(
        places=tuple(share(p.name, p.registered_patients, p.core20_patients) for p in places),
        system=share(system_name, registered, core20),
    )


@dataclass(frozen=True)
class QuintileGap:
    period: str
    most_deprived: float
    least_deprived: float
    gap: float  # most deprived minus least deprived
    ratio: float | None  # most over least; None when the least deprived rate is zero


@dataclass(frozen=True)
class GapTrend:
    gaps: tuple[QuintileGap, ...]
    slope: float | None  # change in the gap per `per`, least squares; None below 2 periods
    per: str = "period"  # year | quarter | month: the first period's kind


MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


def quintile_gap(period: str, rates: Mapping[int, float | Decimal]) -> QuintileGap:
    """The gap between IMD quintile 1 (most deprived) and quintile 5 (least deprived)."""
    for quintile in (MOST_DEPRIVED, LEAST_DEPRIVED):
        if quintile not in rates:
            raise InputError(
                f"{period}: no rate for IMD quintile {quintile}", field="breakdown_value"
            )
    most = float(rates[MOST_DEPRIVED])
    least = float(rates[LEAST_DEPRIVED])
    return QuintileGap(period, most, least, most - least, most / least if least else None)


def gap_trend(series: Sequence[tuple[str, Mapping[int, float | Decimal]]]) -> GapTrend:
    """The quintile gap for each period, in the order given, and its least-squares slope over
    the periods' real positions in time: a withheld or missing year leaves a gap on the axis
    rather than squeezing it (-10, withheld, -6 over three years is +2.0 a year, not +4.0)."""
    gaps = tuple(quintile_gap(period, rates) for period, rates in series)
    if not gaps:
        return GapTrend(gaps, None)
    periods = [parse_reporting_period(g.period, field="period") for g in gaps]
    kind = periods[0].kind
    if len(gaps) < 2:
        return GapTrend(gaps, None, kind)
    x = np.array([p.sort_key / MONTHS_IN[kind] for p in periods], dtype=float)
    y = np.array([g.gap for g in gaps], dtype=float)
    slope = float(((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum())
    return GapTrend(gaps, slope, kind)
