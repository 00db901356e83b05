"""Measurements as a comparison shows them (`placeplan.core.differences`): each named by its
area, period and breakdown, its figures as people read them (a rate per 100,000 to one decimal
place, a share as a percentage, counts with thousands separators). Pure.

Which figures make a measurement different: its value, counts, the population a rate was worked
out from and whether it is worked out or as published (COMPARED, at the precision stored). Its
source alone does not: the same figures imported from a file of another name change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from placeplan.core.differences import Record, Value
from placeplan.measures.domain.breakdowns import KINDS

COMPARED = ("value", "numerator", "denominator", "population_used", "recomputable")
# The places each figure is stored to (measures.models: Numeric(18, 6) and (18, 4)).
PLACES = {"value": 6, "numerator": 4, "denominator": 4}
LABELS = {
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "population_used": "Population used",
    "recomputable": "Worked out from the counts",
    "source": "Source",
}
_SUFFIX = {
    "rate_per_100k": " per 100,000",
    "rate_per_100k_dsr": " per 100,000 (age-standardised)",
    "percentage": "%",
    "days": " days",
    "minutes": " minutes",
    "years": " years",
    "count": "",
}


def stored(name: str, value: Any) -> Any:
    """A figure as the database keeps it: rounded to the column's places."""
    if isinstance(value, Decimal) and name in PLACES:
        return value.quantize(Decimal(1).scaleb(-PLACES[name]))
    return value


def differs(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether the figures differ, each compared as stored."""
    return any(stored(k, before.get(k)) != stored(k, after.get(k)) for k in COMPARED)


def count_text(number: Decimal | int) -> str:
    """A count with thousands separators and no trailing zeros: 1,234 or 12.5."""
    return f"{Decimal(number).normalize():,f}"


def value_text(value: Decimal, unit: str) -> str:
    """A measurement's value as people read it: 758.97 per 100,000, 84.7%, 2.61 days, 901. Two
    decimal places at most (four below 1), trailing zeros dropped, so a change shows."""
    places = 2 if abs(value) >= 1 else 4
    return count_text(value.quantize(Decimal(1).scaleb(-places))) + _SUFFIX.get(unit, "")


def measurement_name(area: str, period: str, breakdown: str, breakdown_value: str) -> str:
    """Leicestershire, 2024-07 (all people) or Leicester, 2023-24, Sex: Female."""
    if breakdown == "all":
        return f"{area}, {period}"
    kind = KINDS.get(breakdown, breakdown.replace("_", " ").capitalize()).split(":")[0]
    return f"{area}, {period}, {kind}: {breakdown_value}"


def measurement_record(name: str, unit: str, figures: Mapping[str, Any]) -> Record:
    """A measurement's figures (value, counts, population, how it was got, source) by label."""
    fields: dict[str, Value] = {}
    for key, label in LABELS.items():
        raw = stored(key, figures.get(key))
        if raw is None:
            fields[label] = Value(None, "")
        elif key == "value":
            fields[label] = Value(str(raw), value_text(raw, unit))
        elif key in ("numerator", "denominator", "population_used"):
            fields[label] = Value(str(raw), count_text(raw))
        elif key == "recomputable":
            fields[label] = Value(bool(raw), "Yes" if raw else "No, as published")
        else:
            fields[label] = Value(raw, str(raw))
    return Record(name, fields)
