"""Reading a workbook grid's tables, for every xlsx reader: rows found by their label in column A,
columns found by their header text, and each data row's cells read as text, choices, numbers,
dates and Yes / No, every problem recorded naming the sheet, row and column and what was expected.

A format subclasses `RowReader` for the kinds of cell only it has (the budget's pence, the
tracker's stages and RAG ratings) and sets, in its class attributes and hooks, how its workbook
words what it expects.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.core.errors import InputError
from placeplan.core.fields import Field
from placeplan.io.grid import EMPTY, Cell, Grid, Problem, blank, norm


class Headed(Protocol):
    """A column of a format's layout: its key and the header text that finds it."""

    @property
    def key(self) -> str: ...

    @property
    def header(self) -> str: ...


class Sheet:
    """One sheet's grid and the problems list every reading of it adds to."""

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

    def header_row(
        self, header: str, below: int | None = None, subject: str | None = None
    ) -> int | None:
        """The row whose column A reads a table's first `header`: within the first 20 rows, or
        within the 5 rows just below row `below` (a table's title); a workbook-layout problem when
        there is none. `subject` is what lacks it, with its verb ("the stated figures have")."""
        if below is None:
            row = self.find_row(header, stop=20)
            where = "within the first 20 rows"
        else:
            row = self.find_row(header, start=below + 1, stop=below + 5)
            where = f"just below row {below}"
        if row is None:
            self.problem(
                "workbook-layout",
                below,
                header,
                f"{subject or f'the {self.name} sheet has'} no header row: expected '{header}' "
                f"in column A {where}",
            )
        return row

    def columns(
        self,
        header_row: int,
        columns: Iterable[Headed],
        must: Collection[str],
        refuse_twice: bool = False,
        rule: str = "workbook-layout",
    ) -> dict[str, int] | None:
        """Each column's number, found by its header text in `header_row`; None, after recording
        a problem for each, when a column in `must` is missing. A header found twice: the first
        is read, or with `refuse_twice` that is the one problem and None."""
        columns = tuple(columns)
        by_header = {norm(c.header): c.key for c in columns}
        # a column's earlier headers (a workbook exported before it was renamed) read as it
        by_header |= {norm(a): c.key for c in columns for a in getattr(c, "aliases", ())}
        found: dict[str, int] = {}
        cells = self.grid[header_row - 1] if header_row - 1 < len(self.grid) else []
        for col, (value, _) in enumerate(cells, start=1):
            if isinstance(value, str) and (key := by_header.get(norm(value))) is not None:
                if key in found and refuse_twice:
                    self.problem(
                        rule, header_row, value, f"the {self.name} sheet has two '{value}' columns"
                    )
                    return None
                found.setdefault(key, col)
        missing = [c.header for c in columns if c.key in must and c.key not in found]
        for header in missing:
            self.problem(
                rule,
                header_row,
                header,
                f"the {self.name} sheet has no '{header}' column: expected it among the "
                f"headers in row {header_row}",
            )
        return None if missing else found

    def data_rows(self, first: int, last: int, cols: dict[str, int]) -> list[int]:
        """Rows from `first` to `last` with anything in the mapped columns."""
        wanted = list(cols.values())
        rows = []
        for row in range(first, last + 1):
            cells = [self.at(row, col) for col in wanted]
            if any(kind == "f" or not blank(value) for value, kind in cells):
                rows.append(row)
        return rows


class RowReader:
    """One data row: each accessor reads a column's cell, records any problem, returns a value.
    `bad` says whether any cell of the row had a problem."""

    bool_text = ("TRUE", "FALSE")  # a TRUE / FALSE cell read as text
    date_expected = "a date such as 2025-04-01"
    yes_no_expected = "Yes or No"
    yes_no_numbers = True  # 1 and 0 read as Yes and No

    def __init__(self, sheet: Sheet, row: int, cols: dict[str, int], headers: dict[str, str]):
        self.sheet, self.row, self.cols, self.headers = sheet, row, cols, headers
        self.bad = False

    def raw(self, key: str) -> Cell:
        col = self.cols.get(key)
        return EMPTY if col is None else self.sheet.at(self.row, col)

    def filled(self, key: str) -> bool:
        value, kind = self.raw(key)
        return kind == "f" or not blank(value)

    def bad_key(self, key: str) -> bool:
        """Whether the cell holds a formula or an error value (recorded when it is read)."""
        return self.raw(key)[1] in ("f", "e")

    def cell_ref(self, key: str) -> str:
        return f"{get_column_letter(self.cols[key])}{self.row}" if key in self.cols else "?"

    def fail(self, key: str, expected: str, found: str | None = None) -> None:
        self.bad = True
        detail = f"; found {found}" if found is not None else ""
        self.sheet.problem(
            "workbook-cell",
            self.row,
            self.headers[key],
            f"{self.headers[key]} in cell {self.cell_ref(key)}: expected {expected}{detail}",
        )

    def refuse(self, key: str, message: str) -> None:
        """Record a value its field's limits refuse, in the limits' own words (core.fields), so
        the workbook says what a page and the API say."""
        self.bad = True
        self.sheet.problem("workbook-cell", self.row, self.headers[key], message)

    def formula(self, key: str, value: Any) -> None:
        """Record a formula found where a value was expected."""
        self.bad = True
        self.sheet.problem(
            "workbook-formula",
            self.row,
            self.headers[key],
            f"{self.headers[key]} in cell {self.cell_ref(key)} holds a formula ({str(value)[:80]}); "
            "input cells must hold values: type the value itself",
        )

    def too_long(self, text: str, max_len: int) -> str | None:
        """What was found, when `text` is over `max_len` characters."""
        return f"{len(text)}" if len(text) > max_len else None

    def _cell(self, key: str) -> Any:
        """The cell's value, or None after recording a formula or an error value."""
        value, kind = self.raw(key)
        if kind == "f":
            self.formula(key, value)
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
            text = self.bool_text[0 if value else 1]
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, datetime):
            text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
        else:
            text = str(value)
        if max_len is not None and (found := self.too_long(text, max_len)) is not None:
            self.fail(key, f"at most {max_len} characters", found)
            return None
        return text

    def limited(self, key: str, field: Field, required: bool = False) -> str | None:
        """The cell's text, refused in `field`'s words (core.fields) when it is too long, as
        the record's form refuses it."""
        text = self.text(key, required)
        if text is not None and (message := field.problem(text)) is not None:
            self.refuse(key, message)
            return None
        return text

    def lines(self, key: str, separator: str | None = None) -> list[str]:
        """The cell's text one item a line (and a `separator`), each stripped, blanks dropped."""
        text = self.text(key)
        if text is None:
            return []
        if separator is not None:
            text = text.replace(separator, "\n")
        return [p.strip() for p in text.splitlines() if p.strip()]

    def choice(
        self,
        key: str,
        parse: Callable[[str], str | None],
        expected: str,
        required: bool = False,
    ) -> str | None:
        """The cell's text as `parse` reads it; `parse` raises InputError or ValueError for text
        that is not one of the choices."""
        text = self.text(key, required)
        if text is None:
            return None
        try:
            return parse(text)
        except (InputError, ValueError):
            self.fail(key, expected, repr(text[:100]))
            return None

    def number(self, key: str, high: Decimal, expected: str, places: int = 2) -> Decimal | None:
        """A number from 0 to `high` with at most `places` decimal places, exactly (never a
        float)."""
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

    def day(self, key: str, required: bool = False) -> date | None:
        value = self._cell(key)
        if blank(value):
            if required and not self.bad_key(key):
                self.fail(key, self.date_expected, "an empty cell")
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
        self.fail(key, self.date_expected, repr(value))
        return None

    def yes_no(self, key: str) -> bool | None:
        """Yes or No; None for an empty cell or after recording what else it held."""
        value = self._cell(key)
        if blank(value):
            return None
        if isinstance(value, bool):
            return value
        if self.yes_no_numbers and isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and norm(value) in ("yes", "y", "true"):
            return True
        if isinstance(value, str) and norm(value) in ("no", "n", "false"):
            return False
        self.fail(key, self.yes_no_expected, repr(value))
        return None
