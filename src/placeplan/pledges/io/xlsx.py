"""The pledges table as an xlsx workbook: the CSV's columns and rows, one sheet. Pure: a
pledges.domain.table.Table in, bytes out. Text goes in as explicit string cells, so a measure name starting with
"=" is never a formula; figures go in as numbers (Decimal, never float). Fixed document and
zip-entry times make the bytes depend on the table alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget.io.layout import MAX_TEXT
from placeplan.io.grid import escape_text
from placeplan.io.xlsx_stable import stable_bytes
from placeplan.pledges.domain.table import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        value = "yes" if value else ""
    if isinstance(value, str):
        if not value:
            return cell
        text = escape_text(value)[:MAX_TEXT]
        cell.value = text
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    elif isinstance(value, Decimal | int):
        cell.value = value
    elif value is not None:
        cell.value = str(value)
        cell.data_type = "s"
    return cell


def table_bytes(table: Table) -> bytes:
    header = table.header
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = table.title[:250]
    ws = wb.active
    ws.title = table.sheet[:31]
    bold = Font(bold=True)
    for col, name in enumerate(header, start=1):
        _put(ws, 1, col, name).font = bold
        ws.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(name) + 4))
    ws.freeze_panes = "A2"
    top = Alignment(vertical="top", wrap_text=True)
    count = 1
    for count, values in enumerate(table.rows, start=2):
        for col, value in enumerate(values, start=1):
            _put(ws, count, col, value).alignment = top
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(count, 2)}"
    return stable_bytes(wb)
