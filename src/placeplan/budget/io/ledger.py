"""A ledger extract of actual spend (CSV, or the first sheet of an xlsx workbook) as rows of
`budget.domain.actuals.LedgerRow`. Row 1 is the header: `Line`, `Quarter`, `Actual spend (£)`,
and optionally `Forecast outturn (£)` and `Commentary` (case and spacing aside). Amounts are in
pounds, to the penny; a header in thousands or pence, or an amount with fractions of a penny, is
refused naming its row, since a ledger in another unit would be out by a hundred or a thousand."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget.domain.actuals import LedgerRow
from placeplan.core.errors import InputError
from placeplan.io.grid import norm
from placeplan.io.xlsx_guard import MAX_FILE_BYTES, check_xlsx

HEADERS = {
    "line": "line",
    "quarter": "quarter",
    "actual spend (£)": "actual",
    "forecast outturn (£)": "forecast",
    "commentary": "commentary",
}
REQUIRED = ("line", "quarter", "actual")
EXAMPLE_HEADER = "Line, Quarter, Actual spend (£), Forecast outturn (£), Commentary"
_OTHER_UNIT = re.compile(r"£\s*(000|k|m)|\(p\)|pence|thousand", re.IGNORECASE)


def _grid(content: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        stream = io.BytesIO(content)
        check_xlsx(stream, name)
        wb = load_workbook(stream, read_only=True, data_only=True)
        try:
            sheet = wb.worksheets[0]
            return [
                ["" if c is None else str(c) for c in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            wb.close()
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
    return list(csv.reader(io.StringIO(text, newline="")))


def _header(cells: list[str], name: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, text in enumerate(cells):
        label = norm(str(text))
        if not label:
            continue
        if _OTHER_UNIT.search(label):
            raise InputError(
                f"the column '{text}' is not in pounds: give amounts in pounds, to the penny"
                f" (expected the header {EXAMPLE_HEADER})",
                file=name,
                row=1,
                field=str(text),
            )
        if label not in HEADERS:
            raise InputError(
                f"unknown column '{text}' (expected {EXAMPLE_HEADER})", file=name, row=1, field=text
            )
        columns[HEADERS[label]] = i
    for needed in REQUIRED:
        if needed not in columns:
            wanted = next(h for h, k in HEADERS.items() if k == needed)
            raise InputError(
                f"the header has no '{wanted}' column (expected {EXAMPLE_HEADER})",
                file=name,
                row=1,
                field=wanted,
            )
    return columns


def pounds_to_pence(text: str, label: str, name: str, row: int) -> int | None:
    """'£1,234.56' or '1234.5' as pence; blank is None; a fraction of a penny is refused."""
    cleaned = text.strip().replace(",", "").replace("£", "")
    if not cleaned:
        return None
    try:
        pounds = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(
            f"The {label} must be an amount in pounds (it is {text.strip()[:40]!r})",
            file=name,
            row=row,
            field=label,
        ) from None
    pence = pounds * 100
    if pence != pence.to_integral_value():
        raise InputError(
            f"The {label} ({text.strip()}) has fractions of a penny: amounts are in pounds, to the"
            " penny",
            file=name,
            row=row,
            field=label,
        )
    return int(pence)


def read_ledger(content: bytes, name: str) -> list[LedgerRow]:
    """The extract's rows (blank rows skipped), numbered as the file numbers them."""
    grid = _grid(content, name)
    if not grid:
        raise InputError("the file is empty", file=name, row=1)
    columns = _header(grid[0], name)

    def cell(cells: list[str], key: str) -> str:
        i = columns.get(key)
        return str(cells[i]).strip() if i is not None and i < len(cells) else ""

    rows = []
    for number, cells in enumerate(grid[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        rows.append(
            LedgerRow(
                row=number,
                line_ref=cell(cells, "line"),
                quarter=cell(cells, "quarter"),
                actual_pence=pounds_to_pence(cell(cells, "actual"), "actual spend", name, number),
                forecast_pence=pounds_to_pence(
                    cell(cells, "forecast"), "forecast outturn", name, number
                ),
                commentary=cell(cells, "commentary") or None,
            )
        )
    return rows


def ledger_csv(rows: list[tuple[str, str, int, int | None, str | None]]) -> str:
    """A ledger extract as this reader reads it: (line, quarter, actual, forecast, commentary)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Line", "Quarter", "Actual spend (£)", "Forecast outturn (£)", "Commentary"])
    for line, quarter, actual, forecast, commentary in rows:
        writer.writerow(
            [
                line,
                quarter,
                f"{Decimal(actual) / 100:.2f}",
                "" if forecast is None else f"{Decimal(forecast) / 100:.2f}",
                commentary or "",
            ]
        )
    return buffer.getvalue()
