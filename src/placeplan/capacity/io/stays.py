"""Observed lengths of stay as a CSV: one stay (in days) a row, in a column headed with "stay"
or "days" (or the only column), a header row optional. Each value comes back as text with its
row number in the file, so the domain's check names the row of a bad one."""

from __future__ import annotations

import csv
import io

from placeplan.core.errors import InputError

MAX_BYTES = 5_000_000
MAX_ROWS = 200_000


def _number(text: str) -> bool:
    try:
        float(text.strip().replace(",", ""))
    except ValueError:
        return False
    return True


def read_stays(content: bytes, filename: str) -> list[tuple[int, str]]:
    """(row number, cell text) of every non-blank stay in the file."""
    if len(content) > MAX_BYTES:
        raise InputError(f"the file is larger than {MAX_BYTES // 1_000_000} MB", file=filename)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the file is not a UTF-8 CSV file", file=filename) from exc
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_ROWS:
        raise InputError(f"the file has more than {MAX_ROWS:,} rows", file=filename)
    column, first = 0, 0
    if rows and rows[0] and not any(_number(cell) for cell in rows[0] if cell.strip()):
        first = 1  # a header row
        heads = [cell.strip().lower() for cell in rows[0]]
        named = [i for i, h in enumerate(heads) if "stay" in h or "days" in h]
        if named:
            column = named[0]
        elif len([h for h in heads if h]) > 1:
            raise InputError(
                "say which column holds the stays: head it 'Length of stay (days)'",
                file=filename,
                row=1,
            )
    out = []
    for number, row in enumerate(rows[first:], start=first + 1):
        cell = row[column] if column < len(row) else ""
        if cell.strip():
            out.append((number, cell))
    return out
