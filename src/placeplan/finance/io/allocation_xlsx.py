"""A need-weighted allocation as a workbook: the areas (population, need index, weighted
population and target share as formulas over them), and the glide path by year with each
year's total a formula. Pure: the domain's inputs and results in, bytes out."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.finance.domain.allocation import Allocation, AreaResult
from placeplan.finance.domain.model import year_label
from placeplan.io.grid import escape_text
from placeplan.io.xlsx_stable import stable_bytes

BOLD = Font(bold=True)


def _text(ws: Any, row: int, col: int, text: str, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=escape_text(text))
    cell.data_type = "s"
    if bold:
        cell.font = BOLD


def _areas(ws: Any, allocation: Allocation, results: Sequence[AreaResult]) -> None:
    for col, name in enumerate(
        ("Area", "Population", "Need index", "Weighted population", "Target share",
         "Spend today (£)"),
        start=1,
    ):  # fmt: skip
        _text(ws, 1, col, name, bold=True)
    last = 1 + len(results)
    for row, (area, result) in enumerate(zip(allocation.areas, results, strict=True), start=2):
        _text(ws, row, 1, area.name)
        ws.cell(row=row, column=2, value=area.population)
        ws.cell(row=row, column=3, value=result.need)
        ws.cell(row=row, column=4, value=f"=B{row}*C{row}")
        share = ws.cell(row=row, column=5, value=f"=D{row}/SUM($D$2:$D${last})")
        share.number_format = "0.0%"
        money = ws.cell(row=row, column=6, value=Decimal(area.current) / 100)
        money.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 30
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 18


def _path(ws: Any, allocation: Allocation, results: Sequence[AreaResult]) -> None:
    _text(ws, 1, 1, "Area (£)", bold=True)
    years = len(allocation.totals)
    for i in range(years):
        _text(ws, 1, 2 + i, year_label(allocation.first_year + i), bold=True)
    for row, result in enumerate(results, start=2):
        _text(ws, row, 1, result.name)
        for i, amount in enumerate(result.path):
            cell = ws.cell(row=row, column=2 + i, value=Decimal(amount) / 100)
            cell.number_format = "#,##0.00"
    total_row = 2 + len(results)
    _text(ws, total_row, 1, "Total", bold=True)
    for i in range(years):
        col = get_column_letter(2 + i)
        cell = ws.cell(row=total_row, column=2 + i, value=f"=SUM({col}2:{col}{total_row - 1})")
        cell.number_format = "#,##0.00"
        cell.font = BOLD
    ws.column_dimensions["A"].width = 30


def allocation_bytes(title: str, allocation: Allocation, results: Sequence[AreaResult]) -> bytes:
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = escape_text(title)[:250]
    areas = wb.active
    areas.title = "Areas"
    _areas(areas, allocation, results)
    _path(wb.create_sheet("Glide path"), allocation, results)
    return stable_bytes(wb)
