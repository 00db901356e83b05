"""What the financial model's forms accept (core.fields): a line's name, source and start
year, and each year's amount (whole pounds), rate (per cent) and the base it is on; a model's
name; the opening position; a need-weighted allocation's name, years, pace, areas and need
components. Pages, the API, the command line and the demo's files check through these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from placeplan.core.errors import InputError
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


def check_in_pounds(limits: Limits, values: Mapping[str, str]) -> None:
    """`limits.check` on a form's values, whose money is in pounds ("1,200" is £1,200) while
    the fields' bounds are in pence: each amount that reads as a number is checked in pence, so
    a form refuses what the stored model refuses, in the same words."""
    in_pence: dict[str, Any] = dict(values)
    for f in limits.fields:
        text = str(values.get(f.name) or "").replace(",", "").replace("£", "").strip()
        if f.kind != "money" or not text:
            continue
        try:
            pounds = Decimal(text)
        except InvalidOperation:
            continue  # the field says it must be a number
        if pounds.is_finite():
            in_pence[f.name] = int(pounds * 100)
    limits.check(in_pence)


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


# ---- a need-weighted allocation: the form, the API, the demo's YAML and the stored document all
# check through these, so each refuses a value with the same message naming the same field.
# Labels name the area or component, so a message read alone says which figure to change.

MAX_PEOPLE = 100_000_000  # more than England's population
MAX_WEIGHT = 1_000_000
MAX_NEED_VALUE = 10**12
ALLOCATION_NAME = Field("name", "allocation's name", max_length=200)
AREA_NAME = Field("areas", "area's name", max_length=MAX_NAME)
COMPONENT_NAME = Field("components", "need component's name", max_length=MAX_NAME)
MAX_LOSS = Field(
    "max_loss", "most an area may lose a year", "percentage", low=0, high=Decimal("99.99")
)


def year_total(line: int) -> Field:
    """The total of the allocation's `line`th year (pence)."""
    return Field("totals", f"total for year {line}", "money", low=0, high=MAX_POUNDS_PENCE)


def population(area: str) -> Field:
    return Field(
        "population", f"population of {area}", "number", low=1, high=MAX_PEOPLE, whole=True
    )


def spend_today(area: str) -> Field:
    """Today's spend in `area` (pence)."""
    return Field("current", f"spend today in {area}", "money", low=0, high=MAX_POUNDS_PENCE)


def weight(component: str) -> Field:
    return Field("weight", f"weight of {component}", "number", low=0, high=MAX_WEIGHT)


def need_value(component: str, area: str) -> Field:
    return Field("values", f"value of {component} in {area}", "number", low=0, high=MAX_NEED_VALUE)


def need_source(component: str) -> Field:
    return Field("source", f"source of {component}", max_length=MAX_SOURCE)


def check_allocation_years(first: int, years: int, period: tuple[int, int]) -> None:
    """An allocation's `years` from `first` must lie within the plan's `period` (its first and
    last year): InputError naming `first_year` or `totals`."""
    span = f"{year_label(period[0])} to {year_label(period[1])}"
    if first < period[0] or first > period[1]:
        raise InputError(
            f"The first year, {year_label(first)}, is outside the plan's period, {span}",
            field="first_year",
        )
    last = first + years - 1
    if last > period[1]:
        raise InputError(
            f"{years} years from {year_label(first)} run to {year_label(last)}, "
            f"beyond the plan's period, {span}",
            field="totals",
        )


def figure(value: Any, field: Field, name: str | None = None) -> Decimal:
    """`value` (a number, or text as typed: commas, "£" and "%" allowed) read and checked as
    `field`; a money field's value is in pounds and comes back in pence. InputError names
    `name` (the form's own field) or the field's."""
    where = name or field.name
    text = str(value if value is not None else "").replace("£", "").replace("%", "").strip()
    if not text:
        raise InputError(f"Give the {field.label}", field=where)
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        field.check(text, field=where)  # the one wording of "must be a number"
        raise InputError(f"The {field.label} must be a number", field=where)
    if field.kind == "money":
        number = (number * 100).to_integral_value(rounding=ROUND_HALF_UP)
    field.check(number, field=where)
    return number
