"""Reading the BCF planning workbook: every problem named by sheet, row and column.

The reader collects every structural problem it finds (`Parsed.problems`) so that validation can
report them all; `Parsed.error()` is the first as an InputError, for imports that stop there.
Columns are found by their header text, so a user may reorder or add columns; the computed parts
(the Cover's checklist, Metrics, most of Summary) are never read. A file that is not a genuine
macro-free xlsx of at most 20 MB is refused before it is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain import fields as limits
from placeplan.budget.domain.core import (
    BudgetDocument,
    ExpenditureLine,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.budget.io import layout as L
from placeplan.budget.io.rows import Row, headers_of, shown
from placeplan.core.codes import hwb_area_kind
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_period
from placeplan.io.grid import Problem, first_error, load_grids
from placeplan.io.rows import Sheet
from placeplan.io.xlsx_guard import check_xlsx, file_label
from placeplan.plans.domain import PLAN

_NO_SUB_TYPES: dict[str, str] = {}


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
        """The first problem as an InputError, saying how many more there are."""
        return first_error(self.file, self.problems)


def _read_cover(sheet: Sheet, places: Places) -> dict[str, Any]:
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
        reader = Row(sheet, row, {key: col}, {key: label})
        max_len = {"title": None, "area_name": 200, "area_code": 20, "year": 40}[key]
        value = reader.text(key, required=key == "year", max_len=max_len)
        if key == "title" and (message := PLAN["title"].problem(value)) is not None:
            reader.refuse(key, message)  # the plan's form's words (plans.domain.PLAN)
            value = None
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


def _read_income(sheet: Sheet, places: Places) -> tuple[list[IncomeLine], list[TopSlice]]:
    header = sheet.header_row(L.INCOME_COLUMNS[0].header)
    if header is None:
        return [], []
    marker = sheet.find_row(L.TOP_SLICES_TITLE, start=header + 1)
    income: list[IncomeLine] = []
    cols = sheet.columns(header, L.INCOME_COLUMNS, {"source", "amount"})
    if cols is not None:
        end = (marker - 1) if marker else len(sheet.grid)
        names = headers_of(L.INCOME_COLUMNS)
        for row in sheet.data_rows(header + 1, end, cols):
            r = Row(sheet, row, cols, names)
            source = r.enum("source", cat.FUNDING_SOURCES, required=True, strict=True)
            item = (
                source,
                r.text("contributor", max_len=300),
                r.pence("amount", required=True, field=limits.INCOME),
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
    top_header = sheet.header_row(L.TOP_SLICE_COLUMNS[0].header, marker, "the top-slice table has")
    if top_header is None:
        return income, slices
    tcols = sheet.columns(top_header, L.TOP_SLICE_COLUMNS, {c.key for c in L.TOP_SLICE_COLUMNS})
    if tcols is None:
        return income, slices
    names = headers_of(L.TOP_SLICE_COLUMNS)
    for row in sheet.data_rows(top_header + 1, len(sheet.grid), tcols):
        r = Row(sheet, row, tcols, names)
        body = r.text("body", required=True, max_len=300)
        decided = r.day("decided_on", required=True)
        amount = r.pence("amount", required=True)
        purpose = r.text("purpose", required=True)
        if r.bad or body is None or decided is None or amount is None or purpose is None:
            continue
        slices.append(TopSlice(body, decided, amount, purpose))
        places.top_slice_rows.append(row)
    return income, slices


_Schemes = dict[str, tuple[SchemeInfo, int, dict[str, Any]]]


def _read_expenditure(
    sheet: Sheet, places: Places
) -> tuple[list[SchemeInfo], list[ExpenditureLine]]:
    """The schemes and lines of the Expenditure sheet, one row at a time: a row names its scheme
    (repeated on each of the scheme's rows) and, unless the scheme has no lines yet, one line."""
    columns = L.EXPENDITURE_COLUMNS
    header = sheet.header_row(columns[0].header)
    if header is None:
        return [], []
    must = {"scheme_id", "scheme_name", "scheme_type", "category", "line_id"}
    must |= {"funding_source", "amount"}
    cols = sheet.columns(header, columns, must)
    if cols is None:
        return [], []
    names = headers_of(columns)
    schemes: _Schemes = {}
    lines: list[ExpenditureLine] = []
    for row in sheet.data_rows(header + 1, len(sheet.grid), cols):
        r = Row(sheet, row, cols, names)
        values = _scheme_values(r)
        scheme_bad = r.bad
        scheme_id = values["scheme_id"]
        if scheme_id is not None and not scheme_bad:
            scheme_bad = not _note_scheme(sheet, r, row, names, schemes, values)
        if not any(r.filled(key) for key in L.LINE_KEYS):
            continue  # a scheme with no lines (yet)
        line_id, fields = _line_fields(r, values["scheme_type"])
        if r.bad or scheme_bad or line_id is None or scheme_id is None:
            continue
        lines.append(_line(line_id, schemes[scheme_id][0], fields))
        places.line_rows.setdefault(line_id, []).append(row)
        places.line_row_list.append(row)
        places.source_line_rows.setdefault(fields["funding_source"], row)
    return [info for info, _, _ in schemes.values()], lines


def _scheme_values(r: Row) -> dict[str, Any]:
    # The scheme type is read first so that its problem comes first, as it always has.
    scheme_type = r.enum("scheme_type", cat.SCHEME_TYPES, required=True, max_len=60)
    return {
        "scheme_id": r.text("scheme_id", required=True, max_len=40),
        "scheme_name": r.limited("scheme_name", limits.SCHEME["name"], required=True),
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


def _note_scheme(
    sheet: Sheet,
    r: Row,
    row: int,
    names: dict[str, str],
    schemes: _Schemes,
    values: dict[str, Any],
) -> bool:
    """Record the row's scheme the first time its id is seen; a later row of the scheme must
    repeat the first row's scheme columns: False, each difference a problem, when it does not."""
    scheme_id = values["scheme_id"]
    if scheme_id not in schemes:
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
        return True
    same = True
    _, first_row, first_values = schemes[scheme_id]
    for key, value in values.items():
        if value != first_values[key]:
            ref = r.cell_ref(key)
            sheet.problem(
                "workbook-scheme",
                row,
                names[key],
                f"{names[key]} in cell {ref}: expected {shown(first_values[key])}, "
                f"as on row {first_row} for scheme {scheme_id} (a scheme's columns "
                f"are the same on each of its lines); found {shown(value)}",
            )
            same = False
    return same


def _line_fields(r: Row, scheme_type: str | None) -> tuple[str | None, dict[str, Any]]:
    """The row's line id and line columns (the sub-types allowed are its scheme type's)."""
    subtypes = cat.SUB_TYPES.get(scheme_type or "", _NO_SUB_TYPES)
    line_id = r.text("line_id", max_len=40)
    if line_id is None and not r.bad_key("line_id"):
        r.fail("line_id", "a line id: each expenditure line needs one", "an empty cell")
    fields: dict[str, Any] = {
        "funding_source": r.enum("funding_source", cat.FUNDING_SOURCES, True, 30),
        "amount_pence": r.pence("amount", required=True, field=limits.AMOUNT),
        "new_pence": r.pence("new", field=limits.NEW),
        "sub_type": r.enum("sub_type", subtypes, max_len=60),
        "area_of_spend": r.enum("area_of_spend", cat.AREAS_OF_SPEND, max_len=30),
        "commissioner": r.enum("commissioner", cat.COMMISSIONERS, max_len=10),
        "nhs_share": r.figure(
            "nhs_share",
            limits.LINE["nhs_share"],
            Decimal(100),
            "a percentage from 0 to 100 with at most 2 decimals",
        ),
        "provider": r.enum("provider", cat.PROVIDERS, max_len=30),
        "district": r.text("district", max_len=300),
        "planned_outputs": r.figure(
            "planned_outputs",
            limits.LINE["planned_outputs"],
            Decimal(L.MAX_POUNDS),
            "a number from 0 to 1,000,000,000 with at most 2 decimal places",
        ),
        "output_unit": r.limited("output_unit", limits.LINE["output_unit"]),
        "description": r.limited("note", limits.LINE["note"]),
        "illustrative": r.yes_no("illustrative"),
    }
    if fields["amount_pence"] is not None and fields["new_pence"] is not None:
        money = {k: fields[k] for k in ("amount_pence", "new_pence")}
        for _, message in limits.LINE.problems(money):
            r.refuse("new", message)  # the line editor's words: new investment within the amount
    return line_id, fields


def _line(line_id: str, info: SchemeInfo, fields: dict[str, Any]) -> ExpenditureLine:
    return ExpenditureLine(
        line_id=line_id,
        scheme_id=info.scheme_id,
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


def _read_stated(sheet: Sheet) -> list[StatedFigure]:
    marker = sheet.find_row(L.STATED_TITLE)
    if marker is None:
        return []
    header = sheet.header_row(L.STATED_COLUMNS[0].header, marker, "the stated figures have")
    if header is None:
        return []
    cols = sheet.columns(header, L.STATED_COLUMNS, {"what", "text"})
    if cols is None:
        return []
    names = headers_of(L.STATED_COLUMNS)
    stated = []
    for row in sheet.data_rows(header + 1, len(sheet.grid), cols):
        r = Row(sheet, row, cols, names)
        what = r.text("what", required=True, max_len=80)
        text = r.text("text", required=True, max_len=40)
        source = r.text("source", max_len=300)
        if not r.bad and what is not None and text is not None:
            stated.append(StatedFigure(what, text, source))
    return stated


def read_parsed(source: str | os.PathLike[str] | IO[bytes]) -> Parsed:
    """Read the workbook, collecting every cell-level problem; refuse a bad file outright."""
    file = file_label(source)
    check_xlsx(source, file)
    grids = load_grids(source, file, (L.COVER, L.INCOME, L.EXPENDITURE, L.SUMMARY), L.MAX_DATA_ROWS)
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
    meta = _read_cover(Sheet(L.COVER, grids[L.COVER], problems), places)
    income, slices = _read_income(Sheet(L.INCOME, grids[L.INCOME], problems), places)
    schemes, lines = _read_expenditure(Sheet(L.EXPENDITURE, grids[L.EXPENDITURE], problems), places)
    stated = (
        _read_stated(Sheet(L.SUMMARY, grids[L.SUMMARY], problems)) if L.SUMMARY in grids else []
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
