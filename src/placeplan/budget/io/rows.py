"""Reading the BCF workbook's rows with the shared reader (`placeplan.io.rows`), and what only this
workbook has: pence read from pounds within its bounds, choices given by a catalogue's labels (or
kept as typed for the rules to judge), lists of national metrics, and Yes / No read as False when
empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from placeplan.budget.io import layout as L
from placeplan.core.fields import Field
from placeplan.io.grid import norm
from placeplan.io.rows import RowReader

_MONEY_EXPECTED = "an amount in pounds from 0 to 1,000,000,000 with at most 2 decimal places"


_LOOKUPS: dict[int, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}


def _lookups(labels: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Key by exact label or key, and by label or key with case and spacing ignored. The cache
    holds each labels dict it was built from, so an id is never reused for another dict."""
    found = _LOOKUPS.get(id(labels))
    if found is None or found[0] is not labels:
        exact = {label: k for k, label in labels.items()} | {k: k for k in labels}
        loose = {norm(label): k for k, label in labels.items()} | {norm(k): k for k in labels}
        found = _LOOKUPS[id(labels)] = (labels, exact, loose)
    return found[1], found[2]


class Row(RowReader):
    """One data row of the BCF workbook."""

    bool_text = ("TRUE", "FALSE")
    date_expected = "a date such as 2025-04-01"
    yes_no_expected = "Yes or No"
    yes_no_numbers = True

    def enum(
        self,
        key: str,
        labels: dict[str, str],
        required: bool = False,
        max_len: int | None = None,
        strict: bool = False,
    ) -> str | None:
        """A catalogue key, from its label or key as typed; text that is neither is kept as typed
        (the rules say what is wrong with it) unless `strict` or over `max_len` characters."""
        exact, lookup = _lookups(labels)

        def pick(text: str) -> str:
            if (found := exact.get(text)) is not None:
                return found
            if (found := lookup.get(norm(text))) is not None:
                return found
            if strict or (max_len is not None and len(text) > max_len):
                raise ValueError(text)
            return text

        return self.choice(key, pick, f"one of {', '.join(labels.values())}", required)

    def pence(self, key: str, required: bool = False, field: Field | None = None) -> int | None:
        """Pence from the pounds typed; a number outside `field`'s bounds is refused in its
        words (budget.domain.fields), as the line editor refuses it."""
        if required and not self.filled(key):
            self.fail(key, _MONEY_EXPECTED, "an empty cell")
            return None
        if field is not None and self.outside(key, field, places=2):
            return None
        pounds = self.number(key, Decimal(L.MAX_POUNDS), _MONEY_EXPECTED)
        return None if pounds is None else int(pounds.scaleb(2))

    def figure(self, key: str, field: Field, high: Decimal, expected: str) -> Decimal | None:
        """A number of at most 2 decimal places; one outside `field`'s bounds is refused in its
        words, as the line editor refuses it."""
        if self.outside(key, field):
            return None
        return self.number(key, high, expected)

    def outside(self, key: str, field: Field, places: int = 0) -> bool:
        """Whether the cell holds a number `field` refuses (recorded in its words); the number
        is scaled by 10**`places` first (pounds to pence)."""
        value, kind = self.raw(key)
        if kind != "n" or not isinstance(value, int | float):
            return False
        typed = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not typed.is_finite():
            return False
        scaled = int(typed.scaleb(places)) if field.kind == "money" else typed.scaleb(places)
        if (message := field.problem(scaled)) is None:
            return False
        self.refuse(key, message)
        return True

    def yes_no(self, key: str) -> bool:  # an empty cell is No
        return super().yes_no(key) or False

    def items(self, key: str, labels: dict[str, str] | None = None) -> tuple[str, ...]:
        """One item a line; where `labels` are given (keys without ';'), ';' also separates."""
        lookup = {norm(v): k for k, v in (labels or {}).items()}
        parts = self.lines(key, ";" if labels is not None else None)
        return tuple(lookup.get(norm(p), p) for p in parts)


def shown(value: Any) -> str:
    if value is None:
        return "an empty cell"
    if isinstance(value, bool):
        return L.YES if value else L.NO
    if isinstance(value, tuple):
        return repr("; ".join(value))
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def headers_of(columns: tuple[L.Column, ...]) -> dict[str, str]:
    return {c.key: c.header for c in columns}
