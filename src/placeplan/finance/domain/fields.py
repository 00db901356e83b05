"""What the financial model's forms accept (core.fields): a line's name, source and start
year, and each year's amount (whole pounds), rate (per cent) and the base it is on; a model's
name; the opening position. Pages, the API and the command line check through these tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from placeplan.core.fields import MAX_NAME, Field, Limits, Rule
from placeplan.finance.domain.model import year_label

MAX_SOURCE = 2_000
MAX_POUNDS_PENCE = 10_000_000_000_000  # £100bn: more than any system's whole budget
MAX_RATE = 100


def _money(name: str, label: str) -> Field:
    return Field(name, label, "money", low=-MAX_POUNDS_PENCE, high=MAX_POUNDS_PENCE)


MODEL = Limits((Field("name", "model's name", max_length=200),))

OPENING = Limits(
    (
        _money("plan_position", "planned surplus or deficit the model opens from"),
        _money("non_recurrent", "non-recurrent items in it"),
        Field("source", "source of the opening position", max_length=MAX_SOURCE),
    )
)


def _rate_needs_base(year: int) -> Rule:
    def problem(values: Mapping[str, Any]) -> str | None:
        if not str(values.get(f"rate_{year}") or "").strip():
            return None
        if str(values.get(f"base_{year}") or "").strip():
            return None
        return f"The rate for {year_label(year)} needs a base: say what it is a percentage of"

    return Rule(f"base_{year}", (f"rate_{year}",), problem)


def _one_figure(year: int) -> Rule:
    def problem(values: Mapping[str, Any]) -> str | None:
        amount = str(values.get(f"amount_{year}") or "").strip()
        rate = str(values.get(f"rate_{year}") or "").strip()
        if amount and rate:
            return f"Give an amount or a rate for {year_label(year)}, not both"
        return None

    return Rule(f"rate_{year}", (f"amount_{year}", f"rate_{year}"), problem)


def line_limits(years: Iterable[int]) -> Limits:
    """A line's fields for a model running over `years`."""
    years = tuple(years)
    fields = [
        Field("name", "line's name", max_length=MAX_NAME),
        Field("source", "line's source", max_length=MAX_SOURCE),
    ]
    rules: list[Rule] = []
    for year in years:
        label = year_label(year)
        fields.append(_money(f"amount_{year}", f"amount for {label}"))
        fields.append(
            Field(f"rate_{year}", f"rate for {label}", "number", low=-MAX_RATE, high=MAX_RATE)
        )
        rules.append(_one_figure(year))
        rules.append(_rate_needs_base(year))
    return Limits(tuple(fields), tuple(rules))


def settings_limits(years: Iterable[int]) -> Limits:
    """The model's opening position, cost base and uplift rate on cost removed, by year."""
    fields = [
        *OPENING.fields,
        Field("cost_base_source", "source of the cost base", max_length=MAX_SOURCE),
        Field("uplift_source", "source of the uplift rate", max_length=MAX_SOURCE),
    ]
    for year in years:
        label = year_label(year)
        fields.append(_money(f"cost_base_{year}", f"cost base for {label}"))
        fields.append(
            Field(
                f"uplift_{year}", f"uplift rate for {label}", "number", low=-MAX_RATE, high=MAX_RATE
            )
        )
    return Limits(tuple(fields))
