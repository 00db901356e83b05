"""Direct age standardisation to the European Standard Population 2013, with Dobson's interval.

The ESP 2013 weights are Eurostat's ("Revision of the European Standard Population: report of
Eurostat's task force", Eurostat Methodologies and Working Papers, 2013 edition, Table 1: 19
five-year bands 0-4 to 85-89 and 90+, summing to 100,000); OHID standardises Fingertips DSRs to
them, and REFERENCE.md names ESP 2013 for the BCF avoidable-admissions metric. A coarser band
("65-74", "85+") takes the sum of the five-year weights it covers, so its edges must fall on
multiples of five. Rates over part of the age range (the 65+ falls metric) are standardised to
the weights of the bands given, as OHID does.

DSR = sum(w_i * O_i / n_i) / sum(w_i) * 100,000 for deaths or events O_i among n_i people in band i.

Dobson et al. (1991), as in the PHE Technical Guide and PHEindicatormethods' `phe_dsr`: with
O = sum(O_i), var(DSR) = sum(w_i^2 * O_i / n_i^2) / sum(w_i)^2 * 100,000^2, and the Poisson
interval (O_L, O_U) of O by Byar's method,
    lower = DSR + sqrt(var(DSR) / O) * (O_L - O),  upper = DSR + sqrt(var(DSR) / O) * (O_U - O).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from placeplan.core.errors import InputError
from placeplan.measures.domain.intervals import byars_lower, byars_upper

# (first age, weight) of each ESP 2013 band; the last band is open (90+).
ESP2013: tuple[tuple[int, int], ...] = (
    (0, 5000),
    (5, 5500),
    (10, 5500),
    (15, 5500),
    (20, 6000),
    (25, 6000),
    (30, 6500),
    (35, 7000),
    (40, 7000),
    (45, 7000),
    (50, 7000),
    (55, 6500),
    (60, 6000),
    (65, 5500),
    (70, 5000),
    (75, 4000),
    (80, 2500),
    (85, 1500),
    (90, 1000),
)
OPEN_FROM = 90
METHOD = (
    "directly age-standardised to the European Standard Population 2013 from counts by age band"
    " (95% interval by Dobson's method)"
)

_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})(?:\s*yrs)?$", re.IGNORECASE)
_OPEN = re.compile(r"^(\d{1,3})\s*(?:\+|and over|plus)(?:\s*yrs)?$", re.IGNORECASE)


@dataclass(frozen=True)
class AgeBand:
    lower: int
    upper: int | None  # inclusive; None for an open band such as 85+
    label: str


@dataclass(frozen=True)
class BandCount:
    band: str
    count: Decimal | int
    population: Decimal | int


@dataclass(frozen=True)
class Dsr:
    value: Decimal  # per 100,000
    lower: float | None  # None when there are no events: Dobson's method needs some
    upper: float | None
    count: Decimal
    population: Decimal
    total_weight: int
    bands: int
    method: str = METHOD


def parse_band(text: str) -> AgeBand:
    cleaned = " ".join(str(text).split())
    if match := _RANGE.match(cleaned):
        lower, upper = int(match[1]), int(match[2])
        if upper < lower:
            raise InputError(f"age band '{text}' ends before it starts", field="breakdown_value")
        return AgeBand(lower, upper, cleaned)
    if match := _OPEN.match(cleaned):
        return AgeBand(int(match[1]), None, cleaned)
    raise InputError(
        f"'{text}' is not an age band: expected e.g. 65-69, 65-74 or 90+", field="breakdown_value"
    )


def esp_weight(band: AgeBand) -> int:
    """The ESP 2013 weight of a band: the sum of the five-year bands it covers."""
    if band.lower % 5:
        raise InputError(
            f"age band {band.label} does not start at a multiple of five, so it cannot be matched"
            " to the European Standard Population's five-year bands",
            field="breakdown_value",
        )
    if band.upper is None:
        if band.lower > OPEN_FROM:
            raise InputError(
                f"age band {band.label}: the European Standard Population's last band is 90+",
                field="breakdown_value",
            )
        return sum(w for start, w in ESP2013 if start >= band.lower)
    if band.upper >= OPEN_FROM or (band.upper + 1) % 5:
        raise InputError(
            f"age band {band.label} does not end at the end of a five-year band (4, 9, ... 89)",
            field="breakdown_value",
        )
    return sum(w for start, w in ESP2013 if band.lower <= start <= band.upper)


def dsr(rows: Sequence[BandCount], per: int = 100_000) -> Dsr:
    """The directly standardised rate of events in `rows` (one per age band) per `per` people."""
    if not rows:
        raise InputError("a standardised rate needs counts for at least one age band")
    bands = sorted(((parse_band(r.band), r) for r in rows), key=lambda item: item[0].lower)
    for (band, _), (following, _) in zip(bands, bands[1:], strict=False):
        end = band.upper
        if end is None or following.lower <= end:
            raise InputError(
                f"age bands {band.label} and {following.label} overlap", field="breakdown_value"
            )
        if following.lower != end + 1:
            raise InputError(
                f"age bands leave ages {end + 1} to {following.lower - 1} out, between"
                f" {band.label} and {following.label}",
                field="breakdown_value",
            )
    weighted = Decimal(0)
    variance_sum = 0.0
    total_weight = 0
    count = Decimal(0)
    population = Decimal(0)
    for band, row in bands:
        events, people = Decimal(row.count), Decimal(row.population)
        if people <= 0:
            raise InputError(
                f"age band {band.label}: the population must be above zero", field="denominator"
            )
        if events < 0:
            raise InputError(
                f"age band {band.label}: a count cannot be negative", field="numerator"
            )
        weight = esp_weight(band)
        weighted += weight * events / people
        variance_sum += weight * weight * float(events) / float(people) ** 2
        total_weight += weight
        count += events
        population += people
    value = weighted / total_weight * per
    if count == 0:
        return Dsr(value, None, None, count, population, total_weight, len(bands))
    variance = variance_sum / total_weight**2 * per**2
    o = float(count)
    scale = math.sqrt(variance / o)
    return Dsr(
        value,
        float(value) + scale * (byars_lower(o) - o),
        float(value) + scale * (byars_upper(o) - o),
        count,
        population,
        total_weight,
        len(bands),
    )
