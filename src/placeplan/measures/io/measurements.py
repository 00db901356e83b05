"""A measurements file (CSV, or the first sheet of an xlsx workbook) as numbered rows of fields:
the header must name area_code and period and only the columns of
`placeplan.measures.domain.values.COLUMNS`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from placeplan.core.errors import InputError
from placeplan.io.grid import load_grids
from placeplan.io.xlsx_guard import MAX_FILE_BYTES, check_xlsx
from placeplan.measures.domain.values import COLUMNS

Rows = list[tuple[int, dict[str, str]]]
MAX_ROWS = 100_000  # the last row an xlsx measurements sheet may use: years of monthly figures


def read_rows(path: Path) -> Rows:
    """(row number, fields) from a CSV or xlsx file with the COLUMNS header; row 1 is the header."""
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    return read_content(path.read_bytes(), str(path))


def read_content(content: bytes, name: str) -> Rows:
    """As read_rows, from the bytes of an uploaded file named `name` (.xlsx, else CSV)."""
    if name.lower().endswith(".xlsx"):
        stream = io.BytesIO(content)
        check_xlsx(stream, name)
        sheets = load_grids(stream, name, None, MAX_ROWS)
        grid = [
            ["" if value is None else str(value) for value, _ in row]
            for sheet in sheets.values()
            for row in sheet
        ]
    else:
        if len(content) > MAX_FILE_BYTES:
            raise InputError(
                f"the file is over {MAX_FILE_BYTES // 1024 // 1024} MB", file=name, field="file"
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                "the file is not UTF-8 text (CSV) or an .xlsx workbook", file=name, field="file"
            ) from exc
        grid = list(csv.reader(io.StringIO(text, newline="")))
    return _rows(grid, name)


def _rows(grid: list[list[str]], name: str) -> Rows:
    if not grid:
        raise InputError("the file is empty", file=name, row=1)
    header = [h.strip().lower() for h in grid[0]]
    for required in ("area_code", "period"):
        if required not in header:
            raise InputError(
                f"the header has no {required} column (expected {','.join(COLUMNS)})",
                file=name,
                row=1,
                field=required,
            )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]} (expected {','.join(COLUMNS)})",
            file=name,
            row=1,
            field=unknown[0],
        )
    return [
        (
            number,
            {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h},
        )
        for number, cells in enumerate(grid[1:], start=2)
        if any(str(c).strip() for c in cells)
    ]
