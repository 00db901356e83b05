"""Direct age standardisation to the European Standard Population 2013, with Dobson's interval.

The ESP 2013 weights are Eurostat's ("Revision of the European Standard Population: report of
Eurostat's task force", Eurostat Methodologies and Working Papers, 2013 edition, Table 1: 19
five-year bands 0-4 to 85-89 and 90+, summing to 100,000); OHID standardises Fingertips DSRs to
them, and REFERENCE.md names ESP 2013 for the BCF avoidable-admissions metric. A coarser band
("65-74", "85+") takes the sum of the five-year weights it covers, so its edges must fall on
multiples of five. Finer bands are added together into the five-year grid first: ONS-style
"0" and "1-4" make ESP 2013's 0-4, and "90-94" and "95+" its 90+.

Every band of the rate's age range is required (`AgeRange`: all ages unless the metric says, as
65+ for falls or 0-74 for deaths under 75): a missing first or last band is refused, not read as
a shorter range, which would weigh the rest differently (a 90+ band with no events left out moves
a DSR by several per cent). Put a band with 0 events in, rather than leave it out.

No rate is given from fewer than 10 events in all (`FEWEST_EVENTS`): PHEindicatormethods'
`phe_dsr` returns none, and the PHE Technical Guide and Morris et al. (2018) advise against
publishing one, the interval being unreliable. The `Dsr` says why (`reason`).

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
_SINGLE = re.compile(r"^(\d{1,3})(?:\s*yrs)?$", re.IGNORECASE)
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


FEWEST_EVENTS = 10
TOO_FEW = (
    "no age-standardised rate from fewer than 10 events: it would be unreliable"
    " (as PHEindicatormethods and the PHE Technical Guide)"
)


@dataclass(frozen=True)
class AgeRange:
    """The ages a standardised rate covers: `first` to `last` inclusive (None: and over)."""

    first: int = 0
    last: int | None = None

    @property
    def label(self) -> str:
        if self.last is None:
            return "all ages" if self.first == 0 else f"ages {self.first} and over"
        return f"ages {self.first} to {self.last}"


ALL_AGES = AgeRange()


def parse_age_range(text: str | None) -> AgeRange:
    """'65+' or '0-74' (the metric's age range); empty for all ages."""
    if not text:
        return ALL_AGES
    try:
        band = parse_band(text)
    except InputError:
        raise InputError(
            f"'{text}' is not an age range: expected e.g. 65+ or 0-74", field="age_range"
        ) from None
    return AgeRange(band.lower, band.upper)


@dataclass(frozen=True)
class Dsr:
    value: Decimal | None  # per 100,000; None below 10 events (`reason` says so)
    lower: float | None  # None when there is no value, or no events: Dobson's method needs some
    upper: float | None
    count: Decimal
    population: Decimal
    total_weight: int
    bands: int
    method: str = METHOD
    reason: str | None = None  # why there is no value


def parse_band(text: str) -> AgeBand:
    cleaned = " ".join(str(text).split())
    if match := _RANGE.match(cleaned):
        lower, upper = int(match[1]), int(match[2])
        if upper < lower:
            raise InputError(f"age band '{text}' ends before it starts", field="breakdown_value")
        return AgeBand(lower, upper, cleaned)
    if match := _OPEN.match(cleaned):
        return AgeBand(int(match[1]), None, cleaned)
    if match := _SINGLE.match(cleaned):  # one year of age: ONS's "0"
        return AgeBand(int(match[1]), int(match[1]), cleaned)
    raise InputError(
        f"'{text}' is not an age band: expected e.g. 0, 1-4, 65-69, 65-74 or 90+",
        field="breakdown_value",
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


def _on_grid(band: AgeBand) -> bool:
    """A band ESP 2013's five-year bands make up: starts on a multiple of five and ends on one
    less than a multiple of five below 90, or is open from 90 or before."""
    if band.lower % 5:
        return False
    if band.upper is None:
        return band.lower <= OPEN_FROM
    return band.upper < OPEN_FROM and (band.upper + 1) % 5 == 0


def _checked(rows: Sequence[BandCount], ages: AgeRange | None) -> list[tuple[AgeBand, BandCount]]:
    """The rows by band, each band following the last without a gap or an overlap, covering
    exactly `ages` (None: whatever range they cover, for bands each checked so on import)."""
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
    first, last = bands[0][0], bands[-1][0]
    if ages is None:
        return bands
    if first.lower != ages.first:
        raise InputError(
            f"the age bands start at {first.lower}, but the rate covers {ages.label}: give every"
            f" band from {ages.first} (one with 0 events if there were none)",
            field="breakdown_value",
        )
    if last.upper != ages.last:
        ends = f"at {last.upper}" if last.upper is not None else f"with {last.label}"
        wanted = (
            "an open band such as 90+" if ages.last is None else f"a band ending at {ages.last}"
        )
        raise InputError(
            f"the age bands end {ends}, but the rate covers {ages.label}: give {wanted}"
            " (one with 0 events if there were none)",
            field="breakdown_value",
        )
    return bands


def _to_grid(bands: list[tuple[AgeBand, BandCount]]) -> list[tuple[AgeBand, Decimal, Decimal]]:
    """Finer bands added together into the five-year grid: 0 and 1-4 into 0-4, 90-94 and 95+
    into 90+; a band on the grid stays as it is."""
    merged: list[tuple[AgeBand, Decimal, Decimal]] = []
    start: AgeBand | None = None
    events = people = Decimal(0)
    labels: list[str] = []
    for band, row in bands:
        if Decimal(row.population) <= 0:
            raise InputError(
                f"age band {band.label}: the population must be above zero", field="denominator"
            )
        if Decimal(row.count) < 0:
            raise InputError(
                f"age band {band.label}: a count cannot be negative", field="numerator"
            )
        start = start or band
        events, people = events + Decimal(row.count), people + Decimal(row.population)
        labels.append(band.label)
        joined = AgeBand(start.lower, band.upper, " + ".join(labels))
        if _on_grid(joined):
            merged.append((joined, events, people))
            start, events, people, labels = None, Decimal(0), Decimal(0), []
    if start is not None:
        esp_weight(AgeBand(start.lower, bands[-1][0].upper, " + ".join(labels)))  # says why
    return merged


def dsr(rows: Sequence[BandCount], per: int = 100_000, *, ages: AgeRange | None = ALL_AGES) -> Dsr:
    """The directly standardised rate of events in `rows` (one per age band, covering `ages`)
    per `per` people; no value below 10 events. `ages=None` takes the bands' own range: only
    for bands the import has already checked against their metric's range."""
    if not rows:
        raise InputError("a standardised rate needs counts for at least one age band")
    grid = _to_grid(_checked(rows, ages))
    weighted = Decimal(0)
    variance_sum = 0.0
    total_weight = 0
    count = Decimal(0)
    population = Decimal(0)
    for band, events, people in grid:
        weight = esp_weight(band)
        weighted += weight * events / people
        variance_sum += weight * weight * float(events) / float(people) ** 2
        total_weight += weight
        count += events
        population += people
    shape = (count, population, total_weight, len(grid))
    if count < FEWEST_EVENTS:
        return Dsr(None, None, None, *shape, reason=TOO_FEW)
    value = weighted / total_weight * per
    variance = variance_sum / total_weight**2 * per**2
    o = float(count)
    scale = math.sqrt(variance / o)
    return Dsr(
        value,
        float(value) + scale * (byars_lower(o) - o),
        float(value) + scale * (byars_upper(o) - o),
        *shape,
    )
