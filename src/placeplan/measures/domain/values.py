"""A measurement's value from its counts, and the numbers an import reads. Pure."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from placeplan.core.errors import InputError

# The columns of a measurements file (CSV or xlsx), in the order the header names them.
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
DIRECTIONS = ("higher", "lower", "neither")


def parse_decimal(text: Any, row: int, field: str, file: str | None) -> Decimal | None:
    """A finite number as typed (thousands commas allowed), None when blank."""
    if text is None or str(text).strip() == "":
        return None
    try:
        number = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise InputError(f"'{text}' is not a number", file=file, row=row, field=field) from exc
    if not number.is_finite():
        raise InputError(f"'{text}' is not a finite number", file=file, row=row, field=field)
    return number


def value_from_counts(
    unit: str, numerator: Decimal | None, denominator: Decimal | None, population: int | None
) -> Decimal | None:
    """A metric's value (in `unit`) from counts, or None where the counts cannot give it."""
    if numerator is None:
        return None
    if unit == "rate_per_100k":
        base = (
            denominator
            if denominator is not None
            else (Decimal(population) if population else None)
        )
        return numerator / base * 100_000 if base else None
    if unit == "percentage":
        return numerator / denominator * 100 if denominator else None
    if unit in ("days", "minutes", "years", "count"):
        return numerator / denominator if denominator else numerator
    return None  # age-standardised rates need counts by age band, which rows do not carry
