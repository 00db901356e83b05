"""What an area's fields accept, and pure calculations on populations."""

from __future__ import annotations

import re
from collections.abc import Mapping

from placeplan.core.errors import InputError
from placeplan.core.fields import Field, Limits

# An area's fields, as the API adds and changes them (the tables hold 200 characters).
AREA = Limits(
    (
        Field("name", "area's name", max_length=200),
        Field("registered_patients", "number of registered patients", "number", low=0, whole=True),
        Field(
            "patients_in_most_deprived_20pct",
            "number of patients in the most deprived 20%",
            "number",
            low=0,
            whole=True,
        ),
        Field("patients_source", "source of the patient numbers", max_length=200),
    )
)

_BAND = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")


def band_bounds(band: str, field: str = "age_band") -> tuple[int, int | None]:
    """`65-74` -> (65, 74); `85+` -> (85, None)."""
    match = _BAND.match(band.strip())
    if not match:
        raise InputError(f"'{band}' is not an age band: expected e.g. 65-74 or 85+", field=field)
    low = int(match[1])
    high = int(match[2]) if match[2] else None
    if high is not None and high < low:
        raise InputError(f"'{band}': the band ends before it starts", field=field)
    return low, high


def population_aged(bands: Mapping[str, int], at_least: int) -> int:
    """People aged `at_least` or over, from bands that must not straddle that age."""
    total = 0
    for band, people in bands.items():
        low, high = band_bounds(band)
        if low >= at_least:
            total += people
        elif high is None or high >= at_least:
            raise InputError(
                f"age band {band} straddles age {at_least}: cannot count people aged {at_least}+",
                field="age_band",
            )
    return total


def check_bands(bands: Mapping[str, int], field: str = "population") -> None:
    spans: list[tuple[int, int | None, str]] = []
    for band, people in bands.items():
        low, high = band_bounds(band, field=f"{field}.{band}")
        if not isinstance(people, int) or people < 0:
            raise InputError(
                f"population in band {band} must be a whole number of people, 0 or more",
                field=f"{field}.{band}",
            )
        spans.append((low, high, band))
    spans.sort(key=lambda s: s[0])
    for (_low_a, high_a, band_a), (low_b, _high_b, band_b) in zip(spans, spans[1:], strict=False):
        if high_a is None or high_a >= low_b:
            raise InputError(f"age bands {band_a} and {band_b} overlap", field=field)
