"""Reading the BCF workbook's rows: a sheet's grid, its columns found by their header text, and
each data row's cells read as text, choices, numbers, pence, dates and Yes / No, every problem
recorded with its sheet, row and column."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget.io import layout as L
from placeplan.io.grid import EMPTY, Cell, Grid, Problem, blank, norm

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


class Sheet:
    def __init__(self, name: str, grid: Grid, problems: list[Problem]) -> None:
        self.name = name
        self.grid = grid
        self.problems = problems

    def at(self, row: int, col: int) -> Cell:
        if row - 1 >= len(self.grid):
            return EMPTY
        cells = self.grid[row - 1]
        return cells[col - 1] if 0 < col <= len(cells) else EMPTY

    def text_at(self, row: int, col: int) -> str | None:
        value, kind = self.at(row, col)
        return value if kind != "f" and isinstance(value, str) else None

    def find_row(self, label: str, start: int = 1, stop: int | None = None) -> int | None:
        """The first row from `start` whose column A reads `label`."""
        wanted = norm(label)
        end = min(len(self.grid), stop or len(self.grid))
        for row in range(start, end + 1):
            text = self.text_at(row, 1)
            if text is not None and norm(text) == wanted:
                return row
        return None

    def problem(self, rule: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message, rule=rule))

    def columns(
        self, header_row: int, columns: tuple[L.Column, ...], must: set[str]
    ) -> dict[str, int] | None:
        found: dict[str, int] = {}
        by_header = {norm(c.header): c.key for c in columns}
        cells = self.grid[header_row - 1] if header_row - 1 < len(self.grid) else []
        for col, (value, _) in enumerate(cells, start=1):
            if isinstance(value, str) and (key := by_header.get(norm(value))) is not None:
                found.setdefault(key, col)
        missing = [c.header for c in columns if c.key in must and c.key not in found]
        for header in missing:
            self.problem(
                "workbook-layout",
                header_row,
                header,
                f"the {self.name} sheet has no '{header}' column: expected it among the "
                f"headers in row {header_row}",
            )
        return None if missing else found


class Row:
    """One data row: each accessor reads a column's cell, records any problem, returns a value."""

    def __init__(self, sheet: Sheet, row: int, cols: dict[str, int], headers: dict[str, str]):
        self.sheet, self.row, self.cols, self.headers = sheet, row, cols, headers
        self.bad = False

    def raw(self, key: str) -> Cell:
        col = self.cols.get(key)
        return EMPTY if col is None else self.sheet.at(self.row, col)

    def filled(self, key: str) -> bool:
        value, kind = self.raw(key)
        return kind == "f" or not blank(value)

    def fail(self, key: str, expected: str, found: str | None = None) -> None:
        self.bad = True
        ref = f"{get_column_letter(self.cols[key])}{self.row}" if key in self.cols else "?"
        detail = f"; found {found}" if found is not None else ""
        self.sheet.problem(
            "workbook-cell",
            self.row,
            self.headers[key],
            f"{self.headers[key]} in cell {ref}: expected {expected}{detail}",
        )

    def _cell(self, key: str) -> Any:
        """The cell's value, or None after recording a formula or an error value."""
        value, kind = self.raw(key)
        if kind == "f":
            self.bad = True
            ref = f"{get_column_letter(self.cols[key])}{self.row}"
            self.sheet.problem(
                "workbook-formula",
                self.row,
                self.headers[key],
                f"{self.headers[key]} in cell {ref} holds a formula ({str(value)[:80]}); input "
                "cells must hold values: type the value itself",
            )
            return None
        if kind == "e":
            self.fail(key, "a value", f"the error {value}")
            return None
        return value

    def text(self, key: str, required: bool = False, max_len: int | None = None) -> str | None:
        value = self._cell(key)
        if blank(value):
            if required and not self.bad_key(key):
                self.fail(key, "a value (it is required)", "an empty cell")
            return None
        if isinstance(value, str):
            text = value
        elif isinstance(value, bool):
            text = "TRUE" if value else "FALSE"
        elif isinstance(value, int):
            text = str(value)
        elif isinstance(value, float):
            text = str(int(value)) if value.is_integer() else repr(value)
        elif isinstance(value, datetime):
            text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
        else:
            text = str(value)
        if max_len is not None and len(text) > max_len:
            self.fail(key, f"at most {max_len} characters", f"{len(text)}")
            return None
        return text

    def bad_key(self, key: str) -> bool:
        return self.raw(key)[1] in ("f", "e")

    def enum(
        self,
        key: str,
        labels: dict[str, str],
        required: bool = False,
        max_len: int | None = None,
        strict: bool = False,
    ) -> str | None:
        text = self.text(key, required)
        if text is None:
            return None
        exact, lookup = _lookups(labels)
        if (found := exact.get(text)) is not None:
            return found
        if (found := lookup.get(norm(text))) is not None:
            return found
        if strict or (max_len is not None and len(text) > max_len):
            self.fail(key, f"one of {', '.join(labels.values())}", repr(text[:100]))
            return None
        return text  # kept as typed: the rules say what is wrong with it

    def number(self, key: str, high: Decimal, expected: str, places: int = 2) -> Decimal | None:
        value = self._cell(key)
        if blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            shown = f"text {value!r}" if isinstance(value, str) else repr(value)
            self.fail(key, expected, shown)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, expected, repr(value))
            return None
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(repr(value))
        if number < 0:
            self.fail(key, expected, f"{number} (negative)")
            return None
        if number > high:
            self.fail(key, expected, f"{number:,} (over {high:,})")
            return None
        try:
            exact = number == number.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            exact = False
        if not exact:
            self.fail(key, expected, f"{number} (more than {places} decimal places)")
            return None
        return number

    def pence(self, key: str, required: bool = False) -> int | None:
        if required and not self.filled(key):
            self.fail(key, _MONEY_EXPECTED, "an empty cell")
            return None
        pounds = self.number(key, Decimal(L.MAX_POUNDS), _MONEY_EXPECTED)
        return None if pounds is None else int(pounds.scaleb(2))

    def day(self, key: str, required: bool = False) -> date | None:
        value = self._cell(key)
        expected = "a date such as 2025-04-01"
        if blank(value):
            if required and not self.bad_key(key):
                self.fail(key, expected, "an empty cell")
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(key, expected, repr(value))
        return None

    def yes_no(self, key: str) -> bool:
        value = self._cell(key)
        if blank(value):
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and norm(value) in ("yes", "y", "true"):
            return True
        if isinstance(value, str) and norm(value) in ("no", "n", "false"):
            return False
        self.fail(key, "Yes or No", repr(value))
        return False

    def items(self, key: str, labels: dict[str, str] | None = None) -> tuple[str, ...]:
        """One item a line; where `labels` are given (keys without ';'), ';' also separates."""
        text = self.text(key)
        if text is None:
            return ()
        if labels is not None:
            text = text.replace(";", "\n")
        lookup = {norm(v): k for k, v in (labels or {}).items()}
        parts = [p.strip() for p in text.splitlines()]
        return tuple(lookup.get(norm(p), p) for p in parts if p)


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


def data_rows(sheet: Sheet, first: int, last: int, cols: dict[str, int]) -> list[int]:
    """Rows from `first` to `last` with anything in the mapped columns."""
    wanted = list(cols.values())
    rows = []
    for row in range(first, last + 1):
        cells = [sheet.at(row, col) for col in wanted]
        if any(kind == "f" or not blank(value) for value, kind in cells):
            rows.append(row)
    return rows
