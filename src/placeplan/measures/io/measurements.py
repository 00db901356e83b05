"""A measurements file (CSV, or the first sheet of an xlsx workbook) as numbered rows of fields:
the header must name area_code and period and only the columns of
`placeplan.measures.domain.values.COLUMNS`."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

from placeplan.core.errors import InputError
from placeplan.io.xlsx_guard import check_xlsx
from placeplan.measures.domain.values import COLUMNS


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, fields) from a CSV or xlsx file with the COLUMNS header; row 1 is the header."""
    name = str(path)
    if path.suffix.lower() == ".xlsx":
        check_xlsx(path)
        sheet = load_workbook(path, read_only=True, data_only=False).worksheets[0]
        grid = [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                grid = list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            raise InputError(
                "the file is not UTF-8 text (CSV) or an .xlsx workbook", file=name
            ) from exc
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
