"""Reading the BCF planning workbook: every problem named by sheet, row and column.

The reader collects every structural problem it finds (`Parsed.problems`) so that validation can
report them all; `Parsed.error()` is the first as an InputError, for imports that stop there.
Columns are found by their header text, so a user may reorder or add columns; the computed parts
(the Cover's checklist, Metrics, most of Summary) are never read.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget import catalogue as cat
from placeplan.budget.core import (
    BudgetDocument,
    ExpenditureLine,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.core.codes import hwb_area_kind
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_period
from placeplan.io import bcf_layout as L
from placeplan.io.xlsx_guard import check_xlsx, file_label

Cell = tuple[Any, str]  # (value, openpyxl data type: s n d b f e)
_EMPTY: Cell = (None, "n")
_NO_SUB_TYPES: dict[str, str] = {}
_NO_CELLS: list[Cell] = []
_MONEY_EXPECTED = "an amount in pounds from 0 to 1,000,000,000 with at most 2 decimal places"


@dataclass(frozen=True)
class Problem:
    rule: str  # workbook-layout | workbook-formula | workbook-cell | workbook-scheme
    sheet: str | None
    row: int | None
    column: str | None  # the column's header
    message: str


@dataclass
class Places:
    """Where each part of the document came from, to place rule findings on the sheet."""

    line_rows: dict[str, list[int]] = field(default_factory=dict)
    line_row_list: list[int] = field(default_factory=list)  # parallel to document.lines
    source_line_rows: dict[str, int] = field(default_factory=dict)
    income_rows: list[int] = field(default_factory=list)  # parallel to document.income
    income_rows_by_source: dict[str, int] = field(default_factory=dict)
    top_slice_rows: list[int] = field(default_factory=list)
    meta_rows: dict[str, int] = field(default_factory=dict)


@dataclass
class Parsed:
    file: str
    document: BudgetDocument
    meta: dict[str, Any]
    places: Places
    problems: list[Problem]

    def error(self) -> InputError:
        first = self.problems[0]
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return InputError(
            first.message + suffix,
            field=first.column,
            file=self.file,
            sheet=first.sheet,
            row=first.row,
        )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


_LOOKUPS: dict[int, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}


def _lookups(labels: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Key by exact label or key, and by label or key with case and spacing ignored. The cache
    holds each labels dict it was built from, so an id is never reused for another dict."""
    found = _LOOKUPS.get(id(labels))
    if found is None or found[0] is not labels:
        exact = {label: k for k, label in labels.items()} | {k: k for k in labels}
        loose = {_norm(label): k for k, label in labels.items()} | {_norm(k): k for k in labels}
        found = _LOOKUPS[id(labels)] = (labels, exact, loose)
    return found[1], found[2]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _grid(ws: Any, sheet: str, file: str) -> list[list[Cell]]:
    ws.reset_dimensions()  # trust the cells, not a (possibly huge) declared dimension
    rows: list[list[Cell]] = []
    filled = 0
    for row in ws.iter_rows():
        if all(c.value is None for c in row):
            rows.append(_NO_CELLS)  # formatted but empty: kept only to number the rows
            continue
        filled += 1
        if filled > L.MAX_DATA_ROWS:
            raise InputError(
                f"the {sheet} sheet has more than {L.MAX_DATA_ROWS} rows with anything in them",
                file=file,
                sheet=sheet,
            )
        rows.append(
            [
                (L.unescape_text(c.value), c.data_type)
                if isinstance(c.value, str)
                else (c.value, c.data_type)
                for c in row
            ]
        )
    return rows


class _Sheet:
    def __init__(self, name: str, grid: list[list[Cell]], problems: list[Problem]) -> None:
        self.name = name
        self.grid = grid
        self.problems = problems

    def at(self, row: int, col: int) -> Cell:
        if row - 1 >= len(self.grid):
            return _EMPTY
        cells = self.grid[row - 1]
        return cells[col - 1] if 0 < col <= len(cells) else _EMPTY

    def text_at(self, row: int, col: int) -> str | None:
        value, kind = self.at(row, col)
        return value if kind != "f" and isinstance(value, str) else None

    def find_row(self, label: str, start: int = 1, stop: int | None = None) -> int | None:
        """The first row from `start` whose column A reads `label`."""
        wanted = _norm(label)
        end = min(len(self.grid), stop or len(self.grid))
        for row in range(start, end + 1):
            text = self.text_at(row, 1)
            if text is not None and _norm(text) == wanted:
                return row
        return None

    def problem(self, rule: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(rule, self.name, row, column, message))

    def columns(
        self, header_row: int, columns: tuple[L.Column, ...], must: set[str]
    ) -> dict[str, int] | None:
        found: dict[str, int] = {}
        by_header = {_norm(c.header): c.key for c in columns}
        cells = self.grid[header_row - 1] if header_row - 1 < len(self.grid) else []
        for col, (value, _) in enumerate(cells, start=1):
            if isinstance(value, str) and (key := by_header.get(_norm(value))) is not None:
                found.setdefault(key, col)
        missing = [c.header for c in columns if c.key in must and c.key not in found]
        for header in missing:
            self.problem(
                "workbook-layout",
                header_row,
                header,
                f"the {self.name} sheet has no '{header}' column: expected it among the "
                f"headers in row {header_row}",
            )
        return None if missing else found


class _Row:
    """One data row: each accessor reads a column's cell, records any problem, returns a value."""

    def __init__(self, sheet: _Sheet, row: int, cols: dict[str, int], headers: dict[str, str]):
        self.sheet, self.row, self.cols, self.headers = sheet, row, cols, headers
        self.bad = False

    def raw(self, key: str) -> Cell:
        col = self.cols.get(key)
        return _EMPTY if col is None else self.sheet.at(self.row, col)

    def filled(self, key: str) -> bool:
        value, kind = self.raw(key)
        return kind == "f" or not _blank(value)

    def fail(self, key: str, expected: str, found: str | None = None) -> None:
        self.bad = True
        ref = f"{get_column_letter(self.cols[key])}{self.row}" if key in self.cols else "?"
        detail = f"; found {found}" if found is not None else ""
        self.sheet.problem(
            "workbook-cell",
            self.row,
            self.headers[key],
            f"{self.headers[key]} in cell {ref}: expected {expected}{detail}",
        )

    def _cell(self, key: str) -> Any:
        """The cell's value, or None after recording a formula or an error value."""
        value, kind = self.raw(key)
        if kind == "f":
            self.bad = True
            ref = f"{get_column_letter(self.cols[key])}{self.row}"
            self.sheet.problem(
                "workbook-formula",
                self.row,
                self.headers[key],
                f"{self.headers[key]} in cell {ref} holds a formula ({str(value)[:80]}); input "
                "cells must hold values: type the value itself",
            )
            return None
        if kind == "e":
            self.fail(key, "a value", f"the error {value}")
            return None
        return value

    def text(self, key: str, required: bool = False, max_len: int | None = None) -> str | None:
        value = self._cell(key)
        if _blank(value):
            if required and not self.bad_key(key):
                self.fail(key, "a value (it is required)", "an empty cell")
            return None
        if isinstance(value, str):
            text = value
        elif isinstance(value, bool):
            text = "TRUE" if value else "FALSE"
        elif isinstance(value, int):
            text = str(value)
        elif isinstance(value, float):
            text = str(int(value)) if value.is_integer() else repr(value)
        elif isinstance(value, datetime):
            text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
        else:
            text = str(value)
        if max_len is not None and len(text) > max_len:
            self.fail(key, f"at most {max_len} characters", f"{len(text)}")
            return None
        return text

    def bad_key(self, key: str) -> bool:
        return self.raw(key)[1] in ("f", "e")

    def enum(
        self,
        key: str,
        labels: dict[str, str],
        required: bool = False,
        max_len: int | None = None,
        strict: bool = False,
    ) -> str | None:
        text = self.text(key, required)
        if text is None:
            return None
        exact, lookup = _lookups(labels)
        if (found := exact.get(text)) is not None:
            return found
        if (found := lookup.get(_norm(text))) is not None:
            return found
        if strict or (max_len is not None and len(text) > max_len):
            self.fail(key, f"one of {', '.join(labels.values())}", repr(text[:100]))
            return None
        return text  # kept as typed: the rules say what is wrong with it

    def number(self, key: str, high: Decimal, expected: str, places: int = 2) -> Decimal | None:
        value = self._cell(key)
        if _blank(value):
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

    def pence(self, key: str, required: bool = False) -> int | None:
        if required and not self.filled(key):
            self.fail(key, _MONEY_EXPECTED, "an empty cell")
            return None
        pounds = self.number(key, Decimal(L.MAX_POUNDS), _MONEY_EXPECTED)
        return None if pounds is None else int(pounds.scaleb(2))

    def day(self, key: str, required: bool = False) -> date | None:
        value = self._cell(key)
        expected = "a date such as 2025-04-01"
        if _blank(value):
            if required and not self.bad_key(key):
                self.fail(key, expected, "an empty cell")
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
        self.fail(key, expected, repr(value))
        return None

    def yes_no(self, key: str) -> bool:
        value = self._cell(key)
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and _norm(value) in ("yes", "y", "true"):
            return True
        if isinstance(value, str) and _norm(value) in ("no", "n", "false"):
            return False
        self.fail(key, "Yes or No", repr(value))
        return False

    def items(self, key: str, labels: dict[str, str] | None = None) -> tuple[str, ...]:
        """One item a line; where `labels` are given (keys without ';'), ';' also separates."""
        text = self.text(key)
        if text is None:
            return ()
        if labels is not None:
            text = text.replace(";", "\n")
        lookup = {_norm(v): k for k, v in (labels or {}).items()}
        parts = [p.strip() for p in text.splitlines()]
        return tuple(lookup.get(_norm(p), p) for p in parts if p)


def _shown(value: Any) -> str:
    if value is None:
        return "an empty cell"
    if isinstance(value, bool):
        return L.YES if value else L.NO
    if isinstance(value, tuple):
        return repr("; ".join(value))
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def _headers(columns: tuple[L.Column, ...]) -> dict[str, str]:
    return {c.key: c.header for c in columns}


def _data_rows(sheet: _Sheet, first: int, last: int, cols: dict[str, int]) -> list[int]:
    """Rows from `first` to `last` with anything in the mapped columns."""
    wanted = list(cols.values())
    rows = []
    for row in range(first, last + 1):
        cells = [sheet.at(row, col) for col in wanted]
        if any(kind == "f" or not _blank(value) for value, kind in cells):
            rows.append(row)
    return rows


# ---- the sheets ------------------------------------------------------------------------------


def _read_cover(sheet: _Sheet, places: Places) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    col = L.COVER_VALUE_COLUMN
    for key, label, _ in L.COVER_FIELDS:
        row = sheet.find_row(label, stop=40)
        meta[key] = None
        if row is None:
            if key in ("year",):
                sheet.problem(
                    "workbook-layout",
                    None,
                    label,
                    f"the Cover sheet has no '{label}' row: expected the label in column A",
                )
            continue
        places.meta_rows[key] = row
        reader = _Row(sheet, row, {key: col}, {key: label})
        max_len = {"title": 300, "area_name": 200, "area_code": 20, "year": 40}[key]
        value = reader.text(key, required=key == "year", max_len=max_len)
        if value is not None and key == "area_code":
            value = value.strip().upper()
            try:
                hwb_area_kind(value)
            except InputError as exc:
                reader.fail(key, "the GSS code of an English upper-tier area", exc.message)
                value = None
        if value is not None and key == "year":
            try:
                period = parse_period(value)
            except InputError as exc:
                reader.fail(key, "a financial year such as 2025-26", exc.message)
                value = None
            else:
                if period.first != period.last:
                    reader.fail(key, "one financial year such as 2025-26", repr(value))
                    value = None
                else:
                    value = period.label
        meta[key] = value
    return meta


def _read_income(sheet: _Sheet, places: Places) -> tuple[list[IncomeLine], list[TopSlice]]:
    header = sheet.find_row(L.INCOME_COLUMNS[0].header, stop=20)
    if header is None:
        sheet.problem(
            "workbook-layout",
            None,
            L.INCOME_COLUMNS[0].header,
            f"the Income sheet has no header row: expected '{L.INCOME_COLUMNS[0].header}' in "
            "column A within the first 20 rows",
        )
        return [], []
    marker = sheet.find_row(L.TOP_SLICES_TITLE, start=header + 1)
    income: list[IncomeLine] = []
    cols = sheet.columns(header, L.INCOME_COLUMNS, {"source", "amount"})
    if cols is not None:
        end = (marker - 1) if marker else len(sheet.grid)
        names = _headers(L.INCOME_COLUMNS)
        for row in _data_rows(sheet, header + 1, end, cols):
            r = _Row(sheet, row, cols, names)
            source = r.enum("source", cat.FUNDING_SOURCES, required=True, strict=True)
            item = (
                source,
                r.text("contributor", max_len=60),
                r.pence("amount", required=True),
                r.text("note"),
                r.yes_no("illustrative"),
            )
            if r.bad or source is None or item[2] is None:
                continue
            income.append(IncomeLine(source, item[2], item[1], item[3], item[4]))
            places.income_rows.append(row)
            places.income_rows_by_source.setdefault(source, row)
    slices: list[TopSlice] = []
    if marker is None:
        return income, slices
    top_header = sheet.find_row(L.TOP_SLICE_COLUMNS[0].header, start=marker + 1, stop=marker + 5)
    if top_header is None:
        sheet.problem(
            "workbook-layout",
            marker,
            L.TOP_SLICE_COLUMNS[0].header,
            f"the top-slice table has no header row: expected '{L.TOP_SLICE_COLUMNS[0].header}' "
            f"in column A just below row {marker}",
        )
        return income, slices
    tcols = sheet.columns(top_header, L.TOP_SLICE_COLUMNS, {c.key for c in L.TOP_SLICE_COLUMNS})
    if tcols is None:
        return income, slices
    names = _headers(L.TOP_SLICE_COLUMNS)
    for row in _data_rows(sheet, top_header + 1, len(sheet.grid), tcols):
        r = _Row(sheet, row, tcols, names)
        body = r.text("body", required=True, max_len=60)
        decided = r.day("decided_on", required=True)
        amount = r.pence("amount", required=True)
        purpose = r.text("purpose", required=True)
        if r.bad or body is None or decided is None or amount is None or purpose is None:
            continue
        slices.append(TopSlice(body, decided, amount, purpose))
        places.top_slice_rows.append(row)
    return income, slices


def _read_expenditure(
    sheet: _Sheet, places: Places
) -> tuple[list[SchemeInfo], list[ExpenditureLine]]:
    columns = L.EXPENDITURE_COLUMNS
    first_header = columns[0].header
    header = sheet.find_row(first_header, stop=20)
    if header is None:
        sheet.problem(
            "workbook-layout",
            None,
            first_header,
            f"the Expenditure sheet has no header row: expected '{first_header}' in column A "
            "within the first 20 rows",
        )
        return [], []
    must = {"scheme_id", "scheme_name", "scheme_type", "category", "line_id"}
    must |= {"funding_source", "amount"}
    cols = sheet.columns(header, columns, must)
    if cols is None:
        return [], []
    names = _headers(columns)
    schemes: dict[str, tuple[SchemeInfo, int, dict[str, Any]]] = {}
    lines: list[ExpenditureLine] = []
    for row in _data_rows(sheet, header + 1, len(sheet.grid), cols):
        r = _Row(sheet, row, cols, names)
        scheme_type = r.enum("scheme_type", cat.SCHEME_TYPES, required=True, max_len=60)
        values: dict[str, Any] = {
            "scheme_id": r.text("scheme_id", required=True, max_len=40),
            "scheme_name": r.text("scheme_name", required=True, max_len=300),
            "scheme_description": r.text("scheme_description"),
            "scheme_type": scheme_type,
            "category": r.enum("category", cat.CATEGORIES, required=True, max_len=40),
            "start_date": r.day("start_date"),
            "end_date": r.day("end_date"),
            "desired_outcomes": r.text("desired_outcomes"),
            "metrics": r.items("metrics", cat.NATIONAL_METRICS),
            "priorities": r.items("priorities"),
            "scheme_illustrative": r.yes_no("scheme_illustrative"),
        }
        scheme_bad = r.bad
        scheme_id = values["scheme_id"]
        if scheme_id is not None and not scheme_bad:
            if scheme_id in schemes:
                _, first_row, first_values = schemes[scheme_id]
                for key, value in values.items():
                    if value != first_values[key]:
                        ref = f"{get_column_letter(cols[key])}{row}" if key in cols else "?"
                        sheet.problem(
                            "workbook-scheme",
                            row,
                            names[key],
                            f"{names[key]} in cell {ref}: expected {_shown(first_values[key])}, "
                            f"as on row {first_row} for scheme {scheme_id} (a scheme's columns "
                            f"are the same on each of its lines); found {_shown(value)}",
                        )
                        scheme_bad = True
            else:
                info = SchemeInfo(
                    scheme_id=scheme_id,
                    name=values["scheme_name"],
                    scheme_type=values["scheme_type"],
                    category=values["category"],
                    description=values["scheme_description"],
                    start_date=values["start_date"],
                    end_date=values["end_date"],
                    desired_outcomes=values["desired_outcomes"],
                    metrics=values["metrics"],
                    priorities=values["priorities"],
                    illustrative=values["scheme_illustrative"],
                )
                schemes[scheme_id] = (info, row, values)
        if not any(r.filled(key) for key in L.LINE_KEYS):
            continue  # a scheme with no lines (yet)
        subtypes = cat.SUB_TYPES.get(scheme_type or "", _NO_SUB_TYPES)
        line_id = r.text("line_id", max_len=40)
        if line_id is None and not r.bad_key("line_id"):
            r.fail("line_id", "a line id: each expenditure line needs one", "an empty cell")
        fields: dict[str, Any] = {
            "funding_source": r.enum("funding_source", cat.FUNDING_SOURCES, True, 30),
            "amount_pence": r.pence("amount", required=True),
            "new_pence": r.pence("new"),
            "sub_type": r.enum("sub_type", subtypes, max_len=60),
            "area_of_spend": r.enum("area_of_spend", cat.AREAS_OF_SPEND, max_len=30),
            "commissioner": r.enum("commissioner", cat.COMMISSIONERS, max_len=10),
            "nhs_share": r.number(
                "nhs_share", Decimal(100), "a percentage from 0 to 100 with at most 2 decimals"
            ),
            "provider": r.enum("provider", cat.PROVIDERS, max_len=30),
            "district": r.text("district", max_len=60),
            "planned_outputs": r.number(
                "planned_outputs",
                Decimal(L.MAX_POUNDS),
                "a number from 0 to 1,000,000,000 with at most 2 decimal places",
            ),
            "output_unit": r.text("output_unit", max_len=60),
            "description": r.text("note"),
            "illustrative": r.yes_no("illustrative"),
        }
        if r.bad or scheme_bad or line_id is None or scheme_id is None:
            continue
        info = schemes[scheme_id][0]
        lines.append(
            ExpenditureLine(
                line_id=line_id,
                scheme_id=scheme_id,
                scheme_name=info.name,
                scheme_type=info.scheme_type,
                category=info.category,
                funding_source=fields["funding_source"],
                amount_pence=fields["amount_pence"],
                new_pence=fields["new_pence"] or 0,
                sub_type=fields["sub_type"],
                area_of_spend=fields["area_of_spend"],
                commissioner=fields["commissioner"],
                nhs_share=fields["nhs_share"],
                provider=fields["provider"],
                district=fields["district"],
                planned_outputs=fields["planned_outputs"],
                output_unit=fields["output_unit"],
                description=fields["description"],
                illustrative=fields["illustrative"],
            )
        )
        places.line_rows.setdefault(line_id, []).append(row)
        places.line_row_list.append(row)
        places.source_line_rows.setdefault(fields["funding_source"], row)
    return [info for info, _, _ in schemes.values()], lines


def _read_stated(sheet: _Sheet) -> list[StatedFigure]:
    marker = sheet.find_row(L.STATED_TITLE)
    if marker is None:
        return []
    header = sheet.find_row(L.STATED_COLUMNS[0].header, start=marker + 1, stop=marker + 5)
    if header is None:
        sheet.problem(
            "workbook-layout",
            marker,
            L.STATED_COLUMNS[0].header,
            f"the stated figures have no header row: expected '{L.STATED_COLUMNS[0].header}' in "
            f"column A just below row {marker}",
        )
        return []
    cols = sheet.columns(header, L.STATED_COLUMNS, {"what", "text"})
    if cols is None:
        return []
    names = _headers(L.STATED_COLUMNS)
    stated = []
    for row in _data_rows(sheet, header + 1, len(sheet.grid), cols):
        r = _Row(sheet, row, cols, names)
        what = r.text("what", required=True, max_len=80)
        text = r.text("text", required=True, max_len=40)
        source = r.text("source", max_len=300)
        if not r.bad and what is not None and text is not None:
            stated.append(StatedFigure(what, text, source))
    return stated


# ---- the workbook ----------------------------------------------------------------------------


def _load(source: str | os.PathLike[str] | IO[bytes], file: str) -> dict[str, list[list[Cell]]]:
    def grids(stream: IO[bytes]) -> dict[str, list[list[Cell]]]:
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
        try:
            found: dict[str, list[list[Cell]]] = {}
            for name in (L.COVER, L.INCOME, L.EXPENDITURE, L.SUMMARY):
                if name in wb.sheetnames and hasattr(wb[name], "iter_rows"):
                    found[name] = _grid(wb[name], name, file)
            return found
        finally:
            wb.close()

    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            return grids(stream)
    return grids(source)


def read_parsed(source: str | os.PathLike[str] | IO[bytes]) -> Parsed:
    """Read the workbook, collecting every cell-level problem; refuse a bad file outright."""
    file = file_label(source)
    check_xlsx(source, file)
    grids = _load(source, file)
    missing = [s for s in (L.COVER, L.INCOME, L.EXPENDITURE) if s not in grids]
    if missing:
        raise InputError(
            f"the workbook has no {', '.join(missing)} sheet{'s' if len(missing) > 1 else ''}: "
            f"expected the sheets {L.COVER}, {L.INCOME}, {L.EXPENDITURE}, {L.METRICS} and "
            f"{L.SUMMARY} of the BCF planning workbook",
            field="sheet",
            file=file,
            sheet=missing[0],
        )
    problems: list[Problem] = []
    places = Places()
    meta = _read_cover(_Sheet(L.COVER, grids[L.COVER], problems), places)
    income, slices = _read_income(_Sheet(L.INCOME, grids[L.INCOME], problems), places)
    schemes, lines = _read_expenditure(
        _Sheet(L.EXPENDITURE, grids[L.EXPENDITURE], problems), places
    )
    stated = (
        _read_stated(_Sheet(L.SUMMARY, grids[L.SUMMARY], problems)) if L.SUMMARY in grids else []
    )
    document = BudgetDocument(
        year=meta.get("year") or "",
        schemes=tuple(schemes),
        lines=tuple(lines),
        income=tuple(income),
        top_slices=tuple(slices),
        stated=tuple(stated),
    )
    return Parsed(file, document, meta, places, problems)
