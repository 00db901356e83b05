"""What an editable field accepts, said once: its kind (text, number, money, percentage), its
length, its bounds, and rules across fields. Each concept's domain holds its records' tables
(`Limits`); its services and its workbook readers check through them, so a page, the API, the
command line and a workbook refuse the same value with the same message naming the same field.
Pure.

The messages name the field by its label and say what it is, so a message read alone (in a
workbook's list of problems, or an error summary) says what to change:
  "The plan's title must be 300 characters or fewer (it is 7,600)"
  "The amount must be from £0 to £1bn (it is -£500.00)"
  "The latest value is a percentage: it must be from 0 to 100 (it is 150)"
  "The lead contacts must be 20 or fewer (there are 21)"
  "Each guiding principle's ref must be one of the plan's: 1, 2, 3 (number 2 is Z)"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from placeplan.core.errors import InputError
from placeplan.core.money import format_pence
from placeplan.core.periods import FinancialYear, Period

Kind = Literal["text", "number", "money", "percentage"]

MAX_NAME = 300  # a name or title: the workbooks' and the tables' bound
MAX_MONEY_PENCE = 100_000_000_000  # £1bn: the national template's bound on a numeric input
MAX_PARAGRAPHS = 10_000  # a piece of prose typed into a form or a workbook cell


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _shown(number: Decimal) -> str:
    """150 for 150.00, 100.5 as typed: a figure as a person would write it."""
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}"


@dataclass(frozen=True)
class Field:
    """One editable field: `name` as services, forms and the API give it; `label` as a person
    names it ("plan's title"); its kind, length and bounds (inclusive; money in pence)."""

    name: str
    label: str
    kind: Kind = "text"
    max_length: int | None = None
    low: Decimal | int | None = None
    high: Decimal | int | None = None
    whole: bool = False  # a count (people, items): no fractions

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value` for this field, in the one wording; None when it is
        acceptable or empty (whether a value is required is the record's rule)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.kind == "text":
            return self._text_problem(str(value))
        number = _number(value)
        if number is None:
            return f"The {self.label} must be a number (it is {str(value)[:40]!r})"
        if self.kind == "money":
            return self._money_problem(int(number))
        if self.whole and number != number.to_integral_value():
            return f"The {self.label} must be a whole number (it is {_shown(number)})"
        return self._number_problem(number)

    def _text_problem(self, text: str) -> str | None:
        if self.max_length is not None and len(text) > self.max_length:
            return (
                f"The {self.label} must be {self.max_length:,} characters or fewer "
                f"(it is {len(text):,})"
            )
        return None

    def _money_problem(self, pence: int) -> str | None:
        low = int(self.low if self.low is not None else 0)
        high = int(self.high if self.high is not None else MAX_MONEY_PENCE)
        if low <= pence <= high:
            return None
        span = f"from {format_pence(low, whole_pounds=True)} to {_pounds_words(high)}"
        return f"The {self.label} must be {span} (it is {format_pence(pence)})"

    def _number_problem(self, number: Decimal) -> str | None:
        low, high = self.low, self.high
        if (low is None or number >= low) and (high is None or number <= high):
            return None
        if low is not None and high is not None:
            span = f"from {_shown(Decimal(low))} to {_shown(Decimal(high))}"
        elif low is not None:
            span = f"{_shown(Decimal(low))} or more"
        else:
            span = f"{_shown(Decimal(high or 0))} or less"
        what = "is a percentage: it must be" if self.kind == "percentage" else "must be"
        return f"The {self.label} {what} {span} (it is {_shown(number)})"

    def check(self, value: Any, **where: Any) -> Any:
        """`value` unchanged, or InputError naming this field (and any file, sheet and row)."""
        message = self.problem(value)
        if message is not None:
            raise InputError(message, field=where.pop("field", self.name), **where)
        return value


def _pounds_words(pence: int) -> str:
    if pence == MAX_MONEY_PENCE:
        return "£1bn"
    return format_pence(pence, whole_pounds=pence % 100 == 0)


def percentage(name: str, label: str) -> Field:
    """A figure whose unit is per cent: from 0 to 100."""
    return Field(name, label, "percentage", low=0, high=100)


def is_percentage(unit: str | None) -> bool:
    """Whether a unit as written says per cent ("percentage", "% of people", "per cent")."""
    text = (unit or "").strip().lower()
    return text.startswith(("percentage", "per cent", "percent", "%"))


@dataclass(frozen=True)
class Rule:
    """A rule across fields: `problem` reads the record's values (every field, as it would be
    saved) and says what is wrong, naming `field` (the one to change)."""

    field: str
    needs: tuple[str, ...]
    problem: Callable[[Mapping[str, Any]], str | None]


@dataclass(frozen=True)
class Items:
    """A list field (an action's lead contacts, its PLUS groups): how many items it holds, and
    each item's length. `label` names the list ("lead contacts"), `item` one of them ("lead
    contact")."""

    name: str
    label: str
    item: str
    max_items: int
    max_length: int

    def problem(self, value: Any) -> str | None:
        """What is wrong with the list `value` (a list, or one text for one item), in the one
        wording; None when it is acceptable or empty. An item given twice (in any case) is
        refused: a list names each thing once."""
        if value is None:
            return None
        items = [value] if isinstance(value, str) else list(value)
        if len(items) > self.max_items:
            return (
                f"The {self.label} must be {self.max_items:,} or fewer (there are {len(items):,})"
            )
        seen: set[str] = set()
        for place, item in enumerate(items, start=1):
            text = item if isinstance(item, str) else str(item)
            if len(text) > self.max_length:
                return (
                    f"Each {self.item} must be {self.max_length:,} characters or fewer"
                    f" (number {place} is {len(text):,})"
                )
            if text.strip().casefold() in seen:
                return f"Each {self.item} must be given once (number {place} repeats {text})"
            seen.add(text.strip().casefold())
        return None

    def check(self, value: Any, **where: Any) -> Any:
        """`value` unchanged, or InputError naming this field (and any file, sheet and row)."""
        message = self.problem(value)
        if message is not None:
            raise InputError(message, field=where.pop("field", self.name), **where)
        return value

    def among(
        self, value: Any, known: Sequence[str], whose: str, kept: Iterable[str] = (), **where: Any
    ) -> list[str]:
        """The list `value` checked as `check` does, each item one of `known` (`whose`: "the
        plan's") in any case, given back as `known` spells it; an item in `kept` (what the record
        holds now) stands even when `known` has dropped it. InputError names the first item that
        is none of them, listing the choices."""
        self.check(value, **where)
        items = [] if value is None else [value] if isinstance(value, str) else list(value)
        spelled = {k.strip().casefold(): k for k in known}
        held = {str(k).strip().casefold(): str(k) for k in kept}
        out = []
        for place, item in enumerate(items, start=1):
            key = str(item).strip().casefold()
            if key not in spelled and key not in held:
                choices = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
                message = (
                    f"Each {self.item} must be one of {whose}: {choices} (number {place} is "
                    f"{str(item)[:60]})"
                )
                raise InputError(message, field=where.pop("field", self.name), **where)
            out.append(spelled.get(key) or held[key])
        return out


@dataclass(frozen=True)
class Limits:
    """A record's fields, its list fields (`lists`) and the rules across them."""

    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    lists: tuple[Items, ...] = ()

    def items(self, name: str) -> Items:
        """The list field `name`."""
        for f in self.lists:
            if f.name == name:
                return f
        raise KeyError(name)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(f.name == name for f in self.fields)

    def problems(self, values: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(field name, message) for each field of `values` this table knows and each rule whose
        fields `values` all hold, fields first."""
        every: tuple[Field | Items, ...] = (*self.fields, *self.lists)
        found = [
            (f.name, message)
            for f in every
            if f.name in values and (message := f.problem(values[f.name])) is not None
        ]
        if found:
            return found  # a rule read over a value already refused would mislead
        return [
            (rule.field, message)
            for rule in self.rules
            if all(values.get(n) is not None for n in rule.needs)
            and (message := rule.problem(values)) is not None
        ]

    def check(self, values: Mapping[str, Any], **where: Any) -> None:
        """InputError naming the first problem's field (and any file, sheet and row)."""
        found = self.problems(values)
        if found:
            name, message = found[0]
            raise InputError(message, field=where.pop("field", name), **where)


def texts(names_labels: Iterable[tuple[str, str]], max_length: int) -> tuple[Field, ...]:
    """Text fields sharing one length."""
    return tuple(Field(name, label, max_length=max_length) for name, label in names_labels)


@dataclass(frozen=True)
class Window:
    """The days a plan's period covers, and how it is written ("2024-25 to 2028-29")."""

    first: date
    last: date
    label: str

    def problem(self, label: str, starts: date, ends: date, what: str) -> str | None:
        """Why a period (`what`: "latest value's period") starting `starts` and ending `ends`
        falls outside this window, or None."""
        if self.first <= starts and ends <= self.last:
            return None
        return f"The {what} must fall within the plan's period, {self.label} (it is {label})"

    def day_problem(self, day: date | None, what: str) -> str | None:
        """Why a day (`what`: "due date") falls outside this window, or None."""
        if day is None:
            return None
        return self.problem(day.isoformat(), day, day, what)


def plan_window(period_start: int, period_end: int) -> Window:
    """The days of a plan running from financial year `period_start` to `period_end` (each the
    calendar year it starts in)."""
    period = Period(FinancialYear(period_start), FinancialYear(period_end))
    return Window(period.first.first_day, period.last.last_day, period.label)
