"""The one workbook grid reader every xlsx reader uses: cells as plain values, problems named by
sheet, row and column, and the first of them as an InputError.

A reader loads the sheets it knows into grids (lists of rows of `Cell`), reads rows out of them
collecting every `Problem`, and refuses with `first_error` when any was found, so one upload
reports all it can in one go.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

from placeplan.core.errors import InputError
from placeplan.io.xlsx_guard import check_sheets, sheet_error

Cell = tuple[Any, str]  # (value, openpyxl data type: s n d b f e)
Grid = list[list[Cell]]
EMPTY: Cell = (None, "n")
_NO_CELLS: list[Cell] = []


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    row: int | None
    column: str | None  # the column's header
    message: str
    rule: str = "workbook-cell"  # workbook-layout | workbook-formula | workbook-cell | ...


def first_error(file: str, problems: Sequence[Problem]) -> InputError:
    """The first problem as an InputError, saying how many more there are."""
    first = problems[0]
    more = len(problems) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return InputError(
        first.message + suffix, field=first.column, file=file, sheet=first.sheet, row=first.row
    )


def norm(text: str) -> str:
    """Header and label text with case and spacing ignored."""
    return " ".join(text.split()).casefold()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Text goes into the package as OOXML escapes it (as Excel does): a character XML cannot carry, or
# a carriage return (which XML readers turn into a line feed), as _xHHHH_, and a literal "_xHHHH_"
# with its underscore escaped, so that reading gives back exactly the text written.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def escape_text(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def unescape_text(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


# Past these a sheet is not a template filled in but an attack or an accident: a sheet is read
# row by row and refused at the first row or cell beyond them, so memory and time stay bounded
# whatever the package claims (a lone <row r="2000000000"> is refused at the row after the limit,
# not after two billion empty rows).
MAX_COLUMNS = 256  # the widest template uses a few dozen


def read_grid(ws: Any, sheet: str, file: str, max_rows: int) -> Grid:
    """A worksheet's cells, read row by row; refuses the sheet at its first row numbered past
    `max_rows` (empty or not) and its first filled cell past column MAX_COLUMNS. (load_grids
    streams every sheet through `xlsx_guard.check_sheets` first, which bounds the rows and cells
    before openpyxl sees them.)"""
    ws.reset_dimensions()  # trust the cells, not a (possibly huge) declared dimension
    rows: Grid = []
    try:
        # openpyxl yields one tuple per row number, an empty one for each row the sheet skips
        for number, cells in enumerate(ws.iter_rows(), start=1):
            if number > max_rows:
                raise InputError(
                    f"the {sheet} sheet goes on past row {max_rows}, the last row this "
                    f"workbook's sheets may use: remove the rows from row {number} down",
                    file=file,
                    sheet=sheet,
                    row=number,
                )
            rows.append(_row(cells, sheet, file, number))
    except InputError:
        raise
    except Exception as exc:  # expat's ParseError (truncated, entities), openpyxl's ValueError...
        raise sheet_error(f"{type(exc).__name__}: {exc}", file, sheet, len(rows) + 1) from exc
    return rows


def _row(cells: Sequence[Any], sheet: str, file: str, number: int) -> list[Cell]:
    last = 0
    for index, c in enumerate(cells, start=1):
        if c.value is not None:
            last = index
    if last == 0:
        return _NO_CELLS  # formatted but empty: kept only to number the rows
    if last > MAX_COLUMNS:
        raise InputError(
            f"the {sheet} sheet has something in column {last}, past column {MAX_COLUMNS}, "
            "the last this workbook's sheets may use",
            file=file,
            sheet=sheet,
            row=number,
        )
    row: list[Cell] = []
    for c in cells[:last]:
        value = c.value
        if value is None:
            row.append(EMPTY)  # shared: an empty cell costs a pointer, not a tuple
            continue
        row.append(
            (unescape_text(value), c.data_type) if isinstance(value, str) else (value, c.data_type)
        )
    return row


def load_grids(
    source: str | os.PathLike[str] | IO[bytes],
    file: str,
    sheets: Iterable[str] | None,
    max_rows: int,
) -> dict[str, Grid]:
    """The named sheets that the workbook has (`sheets` None: its first sheet), as grids; a file
    openpyxl cannot open is refused naming the file."""

    def grids(stream: IO[bytes]) -> dict[str, Grid]:
        check_sheets(stream, file, max_rows)
        try:
            wb = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
        except InputError:
            raise
        except Exception as exc:  # openpyxl raises many kinds on a damaged package
            raise InputError(
                f"the file could not be read as an Excel workbook ({type(exc).__name__}: {exc})",
                field="file",
                file=file,
            ) from exc
        wanted = tuple(wb.sheetnames[:1] if sheets is None else sheets)
        try:
            return {
                name: read_grid(wb[name], name, file, max_rows)
                for name in wanted
                if name in wb.sheetnames and hasattr(wb[name], "iter_rows")
            }
        finally:
            wb.close()

    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            return grids(stream)
    return grids(source)
