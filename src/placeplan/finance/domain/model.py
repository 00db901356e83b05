"""A plan's medium-term financial model as entered: the opening position, the cost base, the
uplift rate on cost removed, and lines of assumptions by year. Pure.

Money is integer pence. An assumption is an amount, or a rate (a percentage, Decimal) on a
stated base; an amount worked out from a rate is rounded to the nearest penny, halves away from
zero. Every line says where its figures came from.

Signs: each line's amounts are entered as the size of the thing its kind names (a pressure of
£36.8m is 3680000000 pence); the kind says whether it adds to the position (an allocation
increase, an efficiency) or takes from it (everything else). A negative amount turns that
round (an allocation cut).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from placeplan.core.errors import InputError
from placeplan.core.periods import FinancialYear

LineKind = Literal[
    "tariff_inflation",
    "tariff_efficiency",
    "growth",
    "cost_pressure",
    "allocation",
    "investment",
    "deficit_repayment",
    "efficiency",
]
Stage = Literal["do_nothing", "proposal"]
RateBase = Literal["cost_base"]

KINDS: dict[str, str] = {
    "tariff_inflation": "Tariff inflation",
    "tariff_efficiency": "Tariff efficiency",
    "growth": "Growth",
    "cost_pressure": "Cost pressure",
    "allocation": "Allocation increase",
    "investment": "Investment",
    "deficit_repayment": "Deficit repayment",
    "efficiency": "Efficiency",
}
GAINS = frozenset({"allocation", "efficiency"})  # the kinds that add to the position
UPLIFTS = frozenset({"tariff_inflation", "tariff_efficiency", "growth"})
STAGES: dict[str, str] = {"do_nothing": "Do nothing", "proposal": "Proposal"}
BASES: dict[str, str] = {"cost_base": "the year's cost base"}


def year_label(year: int) -> str:
    """2024 -> "2024-25": financial years as placeplan writes them."""
    return FinancialYear(year).label


def of_rate(rate: Decimal, base_pence: int) -> int:
    """`rate` per cent of `base_pence`, to the nearest penny (halves away from zero)."""
    return int((rate * base_pence / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Entry:
    """One year's figure: an amount in pence, or a rate in per cent on a named base."""

    year: int
    amount: int | None = None
    rate: Decimal | None = None
    base: RateBase | None = None


@dataclass(frozen=True)
class Line:
    """A named assumption over the years: its kind, whether it lasts (recurrent: the year's
    amount stays in every later year's position) and where it came from."""

    key: str
    kind: LineKind
    name: str
    stage: Stage
    recurrent: bool
    entries: tuple[Entry, ...]
    source: str
    start_year: int | None = None

    def entry(self, year: int) -> Entry | None:
        return next((e for e in self.entries if e.year == year), None)

    @property
    def sign(self) -> int:
        return 1 if self.kind in GAINS else -1


@dataclass(frozen=True)
class Series:
    """A figure by year that is not itself a line: the cost base (amounts) or the uplift rate
    on cost removed (rates), with its source."""

    entries: tuple[Entry, ...]
    source: str

    def entry(self, year: int) -> Entry | None:
        return next((e for e in self.entries if e.year == year), None)


@dataclass(frozen=True)
class Opening:
    """The position the model starts from: the year before's planned surplus or deficit, and
    the non-recurrent items in it, removed to leave the underlying (recurrent) position."""

    plan_position: int
    non_recurrent: int
    source: str


COST_BASE = "cost-base"  # what a range names to move the cost base


@dataclass(frozen=True)
class Range:
    """A stated range for one assumption (a line's key, or COST_BASE): the percentage changes
    to its figures at each end ("-20" to "20"), and where the range came from."""

    target: str
    low: Decimal
    high: Decimal
    source: str = ""


@dataclass(frozen=True)
class FinancialModel:
    """The model's inputs. `first_year` and `last_year` are the financial years it runs over
    (each the calendar year it starts in)."""

    first_year: int
    last_year: int
    opening: Opening
    cost_base: Series
    uplift_on_removed: Series
    lines: tuple[Line, ...] = field(default=())
    ranges: tuple[Range, ...] = field(default=())

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    def line(self, key: str) -> Line:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)


def check_model(model: FinancialModel, period: tuple[int, int] | None = None) -> None:
    """InputError naming the field of the first thing wrong; `period` is the plan's first and
    last financial year, which the model's years must fall within."""
    if model.last_year < model.first_year:
        raise InputError("The last year must not be before the first year", field="last_year")
    if period is not None and not (period[0] <= model.first_year <= model.last_year <= period[1]):
        span = f"{year_label(period[0])} to {year_label(period[1])}"
        raise InputError(
            f"The model's years must fall within the plan's period, {span} (they are "
            f"{year_label(model.first_year)} to {year_label(model.last_year)})",
            field="first_year" if model.first_year < period[0] else "last_year",
        )
    keys: set[str] = set()
    for line in model.lines:
        if line.key in keys:
            raise InputError(f"Two lines are called {line.name!r}", field="name")
        keys.add(line.key)
        check_line(model, line)
    _check_series(model, model.cost_base, "cost base", "cost_base", rates=False)
    _check_series(model, model.uplift_on_removed, "uplift rate", "uplift_on_removed", rates=True)
    check_ranges(model)


def check_ranges(model: FinancialModel) -> None:
    """InputError naming the field: a range on no line, a low end above its high end, or one
    taking a figure to nothing."""
    keys = {line.key for line in model.lines} | {COST_BASE}
    for r in model.ranges:
        if r.target not in keys:
            raise InputError(f"There is no line {r.target!r} to give a range to", field="target")
        if r.low > r.high:
            raise InputError(
                f"The range for {r.target} runs from {r.low}% to {r.high}%: the low end must "
                "not be above the high end",
                field="low",
            )
        if r.low <= -100:
            raise InputError("A range cannot take a figure to nothing or below", field="low")


def check_line(model: FinancialModel, line: Line) -> None:
    """InputError naming the field: an unknown kind or stage, a line without a name or source,
    a recurrent investment without a start year, a year outside the model, a rate without a
    base or an entry with neither or both."""
    if line.kind not in KINDS:
        raise InputError(f"{line.kind!r} is not a kind of line", field="kind")
    if line.stage not in STAGES:
        raise InputError(f"{line.stage!r} is not a stage", field="stage")
    if not line.name.strip():
        raise InputError("Every line needs a name", field="name")
    if not line.source.strip():
        raise InputError(
            f"{line.name} needs a source: say where its figures came from", field="source"
        )
    if line.kind == "investment" and line.recurrent and line.start_year is None:
        raise InputError(
            f"{line.name} is a recurrent investment: it needs a start year", field="start_year"
        )
    if line.start_year is not None and line.start_year not in model.years:
        raise InputError(
            _outside(model, line.start_year, f"start year of {line.name}"), field="start_year"
        )
    seen: set[int] = set()
    for entry in line.entries:
        _check_entry(model, entry, line.name)
        if entry.year in seen:
            raise InputError(
                f"{line.name} has two figures for {year_label(entry.year)}", field="year"
            )
        seen.add(entry.year)
        if line.start_year is not None and entry.year < line.start_year and _nonzero(entry):
            raise InputError(
                f"{line.name} starts in {year_label(line.start_year)}: it can have no figure "
                f"for {year_label(entry.year)}",
                field="year",
            )


def _nonzero(entry: Entry) -> bool:
    return bool(entry.amount) or bool(entry.rate)


def _outside(model: FinancialModel, year: int, what: str) -> str:
    span = f"{year_label(model.first_year)} to {year_label(model.last_year)}"
    return f"The {what} must fall within the model's years, {span} (it is {year_label(year)})"


def _check_entry(model: FinancialModel, entry: Entry, name: str) -> None:
    if entry.year not in model.years:
        raise InputError(_outside(model, entry.year, f"year of a figure for {name}"), field="year")
    if entry.rate is not None and entry.amount is not None:
        raise InputError(
            f"{name} in {year_label(entry.year)} has both an amount and a rate: give one",
            field="rate",
        )
    if entry.rate is not None and entry.base is None:
        raise InputError(
            f"The rate for {name} in {year_label(entry.year)} needs a base: say what it is "
            "a percentage of",
            field="base",
        )
    if entry.base is not None and entry.base not in BASES:
        raise InputError(f"{entry.base!r} is not a base a rate can be on", field="base")
    if entry.rate is None and entry.amount is None:
        raise InputError(
            f"{name} in {year_label(entry.year)} needs an amount or a rate", field="amount"
        )


def _check_series(
    model: FinancialModel, series: Series, what: str, name: str, *, rates: bool
) -> None:
    for entry in series.entries:
        if entry.year not in model.years:
            raise InputError(_outside(model, entry.year, f"year of the {what}"), field="year")
        if rates and entry.rate is None:
            raise InputError(f"The {what} for {year_label(entry.year)} must be a rate", field=name)
        if not rates and entry.amount is None:
            raise InputError(
                f"The {what} for {year_label(entry.year)} must be an amount", field=name
            )
    if series.entries and not series.source.strip():
        raise InputError(f"The {what} needs a source", field=f"{name}_source")
