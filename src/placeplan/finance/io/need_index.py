"""An uploaded need index (CSV): one row an area, the header `Area` and `Need index` (case and
spacing aside). Each index is a number, not negative, 1 being average need. A refusal names the
file, the row and the column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from placeplan.core.errors import InputError
from placeplan.io.grid import norm
from placeplan.io.xlsx_guard import MAX_FILE_BYTES

EXAMPLE = "Area,Need index\nLeicester,1.31\nLeicestershire,0.86\n"


def read_need_index(content: bytes, name: str) -> dict[str, Decimal]:
    """Each area's need index as the file gives it."""
    if len(content) > MAX_FILE_BYTES:
        raise InputError(
            f"the file is over {MAX_FILE_BYTES // 1024 // 1024} MB", file=name, field="file"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the file is not UTF-8 text (CSV)", file=name, field="file") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError("the file is empty", file=name, field="file")
    header = [norm(cell) for cell in rows[0]]
    try:
        area_at, index_at = header.index("area"), header.index("need index")
    except ValueError as exc:
        raise InputError(
            "row 1 must name the columns Area and Need index", file=name, row=1, field="file"
        ) from exc
    index: dict[str, Decimal] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (max(area_at, index_at) + 1 - len(row))
        area, value = cells[area_at].strip(), cells[index_at].strip()
        if not area:
            raise InputError("the row names no area", file=name, row=number, field="Area")
        if area in index:
            raise InputError(f"{area} appears twice", file=name, row=number, field="Area")
        try:
            figure = Decimal(value)
        except InvalidOperation as exc:
            raise InputError(
                f"{value!r} is not a number", file=name, row=number, field="Need index"
            ) from exc
        if not figure.is_finite() or figure < 0:
            raise InputError(
                f"{area}'s need index must be a number, not negative (it is {value!r})",
                file=name,
                row=number,
                field="Need index",
            )
        index[area] = figure
    if not index:
        raise InputError("the file has no areas", file=name, field="file")
    return index
