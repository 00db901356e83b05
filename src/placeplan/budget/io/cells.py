"""Writing the BCF workbook's cells: every text cell an explicit string (never a formula), money
as exact pounds, formulas only where the writer means one (`formula`), styles shared between
cells, drop-downs from the hidden Lists sheet, and the red / green of a Yes / No, Complete /
Incomplete cell as conditional formatting (so it follows the cell's recomputed value)."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl.formatting.rule import CellIsRule  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped,unused-ignore]
    DataValidation,
)
from openpyxl.worksheet.hyperlink import Hyperlink  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.io import layout as L
from placeplan.core.errors import InputError

SPARE_EXPENDITURE_ROWS = 20
SPARE_ROWS = 3


def pounds(pence: int) -> Decimal:
    return Decimal(pence).scaleb(-2)


def put(ws: Any, row: int, col: int, value: Any, style: L.Style) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = L.escape_text(value)
        if len(text) > L.MAX_TEXT:
            raise InputError(
                f"the text for cell {get_column_letter(col)}{row} is {len(text)} characters "
                f"long; a cell holds at most {L.MAX_TEXT}: {value[:60]!r}",
                sheet=ws.title,
                row=row,
            )
        cell.value = text
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    elif isinstance(value, bool):
        raise TypeError("write booleans as Yes / No")
    elif value is not None:
        cell.value = value
    return _styled(ws, cell, style)


def formula(ws: Any, row: int, col: int, text: str, style: L.Style) -> Any:
    """A formula cell: `text` without its leading "=". Excel and LibreOffice compute it on open
    (the workbook asks for a full calculation on load); no cached value is written."""
    cell = ws.cell(row=row, column=col)
    cell.value = f"={text}"
    cell.data_type = "f"
    return _styled(ws, cell, style)


def _styled(ws: Any, cell: Any, style: L.Style) -> Any:
    # Setting each style part hashes it into the workbook's style tables, which dominates the
    # time to write; a combination seen before is copied whole. The parts are module constants
    # (bcf_layout), so their ids identify them for as long as the workbook is being written.
    cache: dict[tuple[Any, ...], Any] = ws.parent.__dict__.setdefault("_placeplan_styles", {})
    key = (
        id(style.font),
        id(style.fill),
        id(style.border),
        style.number_format,
        id(style.alignment),
        id(style.protection),
    )
    if key in cache:
        cell._style = copy(cache[key])
        return cell
    cell.font = style.font
    if style.fill is not None:
        cell.fill = style.fill
    if style.border is not None:
        cell.border = style.border
    cell.number_format = style.number_format
    cell.alignment = style.alignment
    cell.protection = style.protection
    cache[key] = copy(cell._style)
    return cell


def ref(sheet: str, col: int, row: int, whole: bool = False) -> str:
    """An absolute reference to a cell of `sheet` (its whole column with `whole`)."""
    letter = get_column_letter(col)
    name = sheet if sheet.isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!${letter}:${letter}" if whole else f"{name}!${letter}${row}"


def span(sheet: str, col: int, first: int, last: int) -> str:
    """An absolute reference to rows `first` to `last` of one column of `sheet`."""
    start = ref(sheet, col, first)
    return f"{start}:${get_column_letter(col)}${last}"


def quote(text: str) -> str:
    """`text` as a formula's string literal."""
    return '"' + text.replace('"', '""') + '"'


def coloured(ws: Any, cells: str, good: str, bad: str) -> None:
    """Green where the cells read `good`, red where they read `bad`, whatever they recompute to."""
    ws.conditional_formatting.add(
        cells,
        CellIsRule(operator="equal", formula=[quote(good)], font=L.GREEN_FONT, fill=L.GREEN_CF),
    )
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=[quote(bad)], font=L.RED_FONT, fill=L.RED_CF)
    )


def red_when(ws: Any, cells: str, text: str, font: Any) -> None:
    """`font` (a red one) where the cells read `text`."""
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=[quote(text)], font=font)
    )


def red_unless_zero(ws: Any, cells: str) -> None:
    """Red where a recomputed figure that should be nothing is not."""
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="notEqual", formula=["0"], font=L.RED_FONT, fill=L.RED_CF)
    )


def yes_no(flag: bool) -> tuple[str, L.Style]:
    return (L.YES, L.YES_STYLE) if flag else (L.NO, L.NO_STYLE)


def label(labels: dict[str, str] | Any, key: str | None) -> str | None:
    if key is None:
        return None
    return str(labels.get(key, key)) if labels else key


def link(cell: Any, sheet: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1", display=sheet)


def headers(ws: Any, row: int, columns: Sequence[L.Column | str]) -> None:
    for col, column in enumerate(columns, start=1):
        header = column.header if isinstance(column, L.Column) else column
        put(ws, row, col, header, L.HEADER)


def widths(ws: Any, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def title_block(ws: Any, title: str) -> None:
    put(ws, 1, 1, title, L.TITLE)


def sheet_status(ws: Any, status: str) -> None:
    """The sheet's Complete / Incomplete: a formula, coloured by what it computes to."""
    put(ws, 2, 1, "Sheet status", L.LABEL)
    formula(ws, 2, 2, status, L.STATUS)
    coloured(ws, "B2", L.COMPLETE, L.INCOMPLETE)


def cell_value(column: L.Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "money":
        return pounds(int(value))
    if column.kind == "yesno":
        return L.YES if value else L.NO
    if column.kind == "items":
        return "\n".join(value) if value else None  # one a line: an item may hold a ';'
    if column.kind == "enum" and column.labels is not None:
        return label(column.labels, value)
    return value


def input_row(ws: Any, row: int, columns: Sequence[L.Column], values: dict[str, Any]) -> None:
    for col, column in enumerate(columns, start=1):
        put(
            ws,
            row,
            col,
            cell_value(column, values.get(column.key)),
            L.input_style(column.number_format, wrap=column.width >= 36),
        )


class Validations:
    """Drop-downs from the Lists sheet, bounds on numbers, Yes / No."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self.lists = lists
        self.order = list(lists)

    def add(self, ws: Any, columns: Sequence[L.Column], first: int, last: int) -> None:
        for col, column in enumerate(columns, start=1):
            letter = get_column_letter(col)
            validation = self._for(column)
            if validation is None:
                continue
            validation.add(f"{letter}{first}:{letter}{last}")
            ws.add_data_validation(validation)

    def _for(self, column: L.Column) -> Any:
        if column.list_name == "yes_no":
            return DataValidation(
                type="list", formula1='"Yes,No"', allow_blank=True, showErrorMessage=True
            )
        if column.list_name is not None:
            letter = get_column_letter(self.order.index(column.list_name) + 1)
            size = len(self.lists[column.list_name])
            return DataValidation(
                type="list",
                formula1=f"{L.LISTS}!${letter}$2:${letter}${size + 1}",
                allow_blank=True,
                showErrorMessage=column.list_name != "sub_types",
                errorTitle=column.header,
                error=f"Choose a value from the list for {column.header}",
            )
        if column.kind in ("money", "number"):
            high = "100" if column.key == "nhs_share" else str(L.MAX_POUNDS)
            return DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=high,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"Enter a number from 0 to {high}, with at most 2 decimal places",
            )
        return None


def list_values(year: str) -> dict[str, list[str]]:
    """The Lists sheet's columns: the drop-downs' values, then what the Summary's checks look
    lines up in (added after them, so the drop-downs' columns never move)."""
    return {
        "scheme_types": list(cat.SCHEME_TYPES.values()),
        "sub_types": list(L.sub_type_labels()),
        "categories": list(cat.CATEGORIES.values()),
        "funding_sources": list(L.sources_for(year).values()),
        "areas": list(cat.AREAS_OF_SPEND.values()),
        "commissioners": list(cat.COMMISSIONERS.values()),
        "providers": list(cat.PROVIDERS.values()),
        "yes_no": [L.YES, L.NO],
        "all_sources": list(cat.FUNDING_SOURCES.values()),
        "sub_type_owners": [cat.SCHEME_TYPES[k] for k in cat.SUB_TYPES],
        "sub_type_pairs": [
            L.pair(cat.SCHEME_TYPES[k], label)
            for k, subtypes in cat.SUB_TYPES.items()
            for label in subtypes.values()
        ],
        "output_types": [cat.SCHEME_TYPES[k] for k in cat.OUTPUT_UNITS],
    }


def list_span(year: str, name: str) -> str:
    """The Lists sheet's cells holding list `name`'s values."""
    lists = list_values(year)
    return span(L.LISTS, list(lists).index(name) + 1, 2, len(lists[name]) + 1)


LIST_HEADERS = {
    "scheme_types": "Scheme type",
    "sub_types": "Sub-type",
    "categories": "Category",
    "funding_sources": "Source of funding",
    "areas": "Area of spend",
    "commissioners": "Commissioner",
    "providers": "Provider",
    "yes_no": "Yes / No",
    "all_sources": "Source of funding (any year)",
    "sub_type_owners": "Scheme types with sub-types",
    "sub_type_pairs": "Scheme type | sub-type",
    "output_types": "Scheme types that count outputs",
}
