"""The BCF planning workbook: write a plan's budget as the workbook BCF leads know, read one back.

`write_workbook` writes sheets Cover, Income, Expenditure, Metrics and Summary (and a hidden Lists
sheet the drop-downs draw on). Every text cell is an explicit string cell, so text a user typed,
such as "=cmd|' /C calc'!A0", is stored as that text and never as a formula. Money is written as
pounds (pence / 100, exact Decimal) and read back to the penny. The same input gives the same
cells and styles, so export, import, export is identical.

`read_workbook` refuses anything that is not a genuine macro-free xlsx of at most 20 MB, and any
formula in an input cell; its errors name the file, sheet, row and column (the InputError's
`field` is the column header) and say what was expected. `validate_workbook` reports every
structural problem and rule result at once, each placed on the sheet, row and column it concerns.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped,unused-ignore]
    DataValidation,
)
from openpyxl.worksheet.hyperlink import Hyperlink  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget import catalogue as cat
from placeplan.budget import rules
from placeplan.budget.core import Budget, BudgetDocument, ExpenditureLine, Finding, SchemeInfo
from placeplan.budget.summary import Share, summarise
from placeplan.core.errors import InputError
from placeplan.io import bcf_layout as L
from placeplan.io.bcf_read import Parsed, Problem, read_parsed

__all__ = [
    "write_workbook",
    "read_workbook",
    "validate_workbook",
    "locate_findings",
    "read_parsed",
    "Parsed",
    "Problem",
]

BudgetContext = Callable[[BudgetDocument], Budget]

SPARE_EXPENDITURE_ROWS = 20
SPARE_ROWS = 3


# ---- writing ---------------------------------------------------------------------------------


def _pounds(pence: int) -> Decimal:
    return Decimal(pence).scaleb(-2)


def _put(ws: Any, row: int, col: int, value: Any, style: L.Style) -> Any:
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


def _yes_no(flag: bool) -> tuple[str, L.Style]:
    return (L.YES, L.YES_STYLE) if flag else (L.NO, L.NO_STYLE)


def _complete(flag: bool) -> tuple[str, L.Style]:
    return (L.COMPLETE, L.YES_STYLE) if flag else (L.INCOMPLETE, L.NO_STYLE)


def _label(labels: dict[str, str] | Any, key: str | None) -> str | None:
    if key is None:
        return None
    return str(labels.get(key, key)) if labels else key


def _link(cell: Any, sheet: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1", display=sheet)


def _headers(ws: Any, row: int, columns: Sequence[L.Column | str]) -> None:
    for col, column in enumerate(columns, start=1):
        header = column.header if isinstance(column, L.Column) else column
        _put(ws, row, col, header, L.HEADER)


def _widths(ws: Any, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _title_block(ws: Any, title: str, status: bool | None) -> None:
    _put(ws, 1, 1, title, L.TITLE)
    if status is not None:
        _put(ws, 2, 1, "Sheet status", L.LABEL)
        text, style = _complete(status)
        _put(ws, 2, 2, text, style)


def _cell_value(column: L.Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "money":
        return _pounds(int(value))
    if column.kind == "yesno":
        return L.YES if value else L.NO
    if column.kind == "items":
        return "\n".join(value) if value else None  # one a line: an item may hold a ';'
    if column.kind == "enum" and column.labels is not None:
        return _label(column.labels, value)
    return value


def _input_row(ws: Any, row: int, columns: Sequence[L.Column], values: dict[str, Any]) -> None:
    for col, column in enumerate(columns, start=1):
        _put(
            ws,
            row,
            col,
            _cell_value(column, values.get(column.key)),
            L.input_style(column.number_format, wrap=column.width >= 36),
        )


class _Validations:
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


def _lists(year: str) -> dict[str, list[str]]:
    return {
        "scheme_types": list(cat.SCHEME_TYPES.values()),
        "sub_types": list(L.sub_type_labels()),
        "categories": list(cat.CATEGORIES.values()),
        "funding_sources": list(L.sources_for(year).values()),
        "areas": list(cat.AREAS_OF_SPEND.values()),
        "commissioners": list(cat.COMMISSIONERS.values()),
        "providers": list(cat.PROVIDERS.values()),
        "yes_no": [L.YES, L.NO],
    }


_LIST_HEADERS = {
    "scheme_types": "Scheme type",
    "sub_types": "Sub-type",
    "categories": "Category",
    "funding_sources": "Source of funding",
    "areas": "Area of spend",
    "commissioners": "Commissioner",
    "providers": "Provider",
    "yes_no": "Yes / No",
}


def _errors_of(findings: Iterable[Finding], rule_ids: Iterable[str]) -> bool:
    wanted = set(rule_ids)
    return any(f.severity == "error" and f.rule in wanted for f in findings)


@dataclass(frozen=True)
class _Status:
    items: list[tuple[str, str, bool]]  # (checklist item, sheet it is on, done)
    cover: bool
    income: bool
    expenditure: bool

    @property
    def complete(self) -> bool:
        return self.cover and self.income and self.expenditure and all(d for *_, d in self.items)


def _status(meta: dict[str, Any], document: BudgetDocument, findings: Sequence[Finding]) -> _Status:
    known = {rule for _, _, ids in L.CHECKLIST_RULES for rule in ids}
    other_rules = sorted({f.rule for f in findings if f.rule not in known})
    spend_rules = (known | set(other_rules)) - {"income-equals-expenditure"}
    items: list[tuple[str, str, bool]] = [
        ("Plan title given", L.COVER, bool(meta.get("title"))),
        ("Area GSS code given", L.COVER, bool(meta.get("area_code"))),
        ("Financial year given", L.COVER, bool(meta.get("year"))),
        ("Income: at least one contribution entered", L.INCOME, bool(document.income)),
        ("Expenditure: at least one line entered", L.EXPENDITURE, bool(document.lines)),
    ]
    items += [
        (label, sheet, not _errors_of(findings, ids)) for label, sheet, ids in L.CHECKLIST_RULES
    ]
    items += [
        (f"Rule {rule} passes", L.EXPENDITURE, not _errors_of(findings, (rule,)))
        for rule in other_rules
    ]
    return _Status(
        items,
        cover=all(meta.get(k) for k in ("title", "area_code", "year")),
        income=bool(document.income) and not _errors_of(findings, ("income-equals-expenditure",)),
        expenditure=bool(document.lines) and not _errors_of(findings, spend_rules),
    )


def _write_cover(
    ws: Any,
    meta: dict[str, Any],
    document: BudgetDocument,
    findings: Sequence[Finding],
    status: _Status,
) -> None:
    complete = status.complete
    year = str(meta.get("year") or document.year or "")
    title = f"Better Care Fund Planning Template {year}".strip() if complete else None
    _put(ws, 1, 1, title or L.INCOMPLETE_TITLE, L.TITLE if complete else L.TITLE_INCOMPLETE)
    _put(ws, 2, 1, L.FORMAT_NAME, L.NOTE)
    row = 4
    for key, label, is_input in L.COVER_FIELDS:
        _put(ws, row, 1, label, L.LABEL)
        value = meta.get(key)
        style = L.input_style() if is_input else L.computed_style()
        _put(ws, row, L.COVER_VALUE_COLUMN, None if value is None else str(value), style)
        row += 1
    row += 1
    _put(ws, row, 1, "Checklist", L.SECTION)
    row += 1
    _headers(ws, row, ("Required item", "Done?", "Where"))
    for label, sheet, done in status.items:
        row += 1
        _put(ws, row, 1, label, L.computed_style())
        text, style = _yes_no(done)
        _put(ws, row, 2, text, style)
        _link(_put(ws, row, 3, sheet, L.computed_style()), sheet)
    row += 2
    _put(ws, row, 1, "Sheets", L.SECTION)
    row += 1
    _headers(ws, row, ("Sheet", "Status", "Where"))
    sheets = (
        (L.COVER, status.cover),
        (L.INCOME, status.income),
        (L.EXPENDITURE, status.expenditure),
    )
    for sheet, done in sheets:
        row += 1
        _put(ws, row, 1, sheet, L.computed_style())
        text, style = _complete(done)
        _put(ws, row, 2, text, style)
        _link(_put(ws, row, 3, sheet, L.computed_style()), sheet)
    row += 1
    _put(ws, row, 1, "Template", L.computed_style(bold=True))
    text, style = _complete(complete)
    _put(ws, row, 2, text, style)
    row += 2
    _put(ws, row, 1, "Rule results", L.SECTION)
    row += 1
    _headers(ws, row, ("Message", "Rule", "Severity"))
    if not findings:
        row += 1
        _put(ws, row, 1, "Every rule passes.", L.computed_style())
    for finding in findings:
        row += 1
        _put(ws, row, 1, finding.message, L.COMPUTED_WRAP)
        _put(ws, row, 2, finding.rule, L.computed_style())
        _put(ws, row, 3, finding.severity, L.computed_style())
    _widths(ws, (70, 30, 16))


def _write_income(ws: Any, document: BudgetDocument, complete: bool) -> None:
    _title_block(ws, "Income", complete)
    _headers(ws, L.HEADER_ROW, L.INCOME_COLUMNS)
    row = L.HEADER_ROW
    for income in document.income:
        row += 1
        _input_row(
            ws,
            row,
            L.INCOME_COLUMNS,
            {
                "source": income.source,
                "contributor": income.contributor,
                "amount": income.amount_pence,
                "note": income.note,
                "illustrative": income.illustrative,
            },
        )
    last_input = row + SPARE_ROWS
    for spare in range(row + 1, last_input + 1):
        _input_row(ws, spare, L.INCOME_COLUMNS, {})
    validations = _Validations(_lists(document.year))
    validations.add(ws, L.INCOME_COLUMNS, L.HEADER_ROW + 1, last_input)
    row = last_input + 2
    _put(ws, row, 1, L.TOP_SLICES_TITLE, L.SECTION)
    _put(
        ws,
        row + 1,
        1,
        "In a two-tier area the DFG passes to the district councils in full unless the partners "
        "agree to keep part back: record each such agreement here.",
        L.NOTE,
    )
    row += 2
    _headers(ws, row, L.TOP_SLICE_COLUMNS)
    first = row + 1
    slices = sorted(
        document.top_slices, key=lambda t: (t.decided_on, t.body, t.amount_pence, t.purpose)
    )
    for top in slices:
        row += 1
        _input_row(
            ws,
            row,
            L.TOP_SLICE_COLUMNS,
            {
                "body": top.body,
                "decided_on": top.decided_on,
                "amount": top.amount_pence,
                "purpose": top.purpose,
            },
        )
    for spare in range(row + 1, row + SPARE_ROWS + 1):
        _input_row(ws, spare, L.TOP_SLICE_COLUMNS, {})
    validations.add(ws, L.TOP_SLICE_COLUMNS[2:3], first, row + SPARE_ROWS)
    ws.freeze_panes = f"A{L.HEADER_ROW + 1}"
    widths = [
        max(a.width, b.width) for a, b in zip(L.INCOME_COLUMNS, L.TOP_SLICE_COLUMNS, strict=False)
    ]
    _widths(ws, widths + [c.width for c in L.INCOME_COLUMNS[len(widths) :]])


def _expenditure_rows(document: BudgetDocument) -> list[dict[str, Any]]:
    """One row per line, scheme by scheme; a scheme without lines gets a row of its own."""
    by_scheme: dict[str, list[ExpenditureLine]] = defaultdict(list)
    for line in document.lines:
        by_scheme[line.scheme_id].append(line)
    rows: list[dict[str, Any]] = []
    listed = set()
    for scheme in document.schemes:
        listed.add(scheme.scheme_id)
        scheme_values = _scheme_values(scheme)
        lines = by_scheme.get(scheme.scheme_id, [])
        if not lines:
            rows.append(scheme_values)
        rows += [scheme_values | _line_values(line) for line in lines]
    for line in document.lines:
        if line.scheme_id not in listed:
            scheme = SchemeInfo(line.scheme_id, line.scheme_name, line.scheme_type, line.category)
            rows.append(_scheme_values(scheme) | _line_values(line))
    return rows


def _scheme_values(scheme: SchemeInfo) -> dict[str, Any]:
    return {
        "scheme_id": scheme.scheme_id,
        "scheme_name": scheme.name,
        "scheme_description": scheme.description,
        "scheme_type": scheme.scheme_type,
        "category": scheme.category,
        "start_date": scheme.start_date,
        "end_date": scheme.end_date,
        "desired_outcomes": scheme.desired_outcomes,
        "metrics": scheme.metrics,
        "priorities": scheme.priorities,
        "scheme_illustrative": scheme.illustrative,
    }


def _line_values(line: ExpenditureLine) -> dict[str, Any]:
    subtypes = cat.SUB_TYPES.get(line.scheme_type, {})
    return {
        "line_id": line.line_id,
        "funding_source": line.funding_source,
        "amount": line.amount_pence,
        "new": line.new_pence,
        "sub_type": _label(subtypes, line.sub_type),
        "area_of_spend": line.area_of_spend,
        "commissioner": line.commissioner,
        "nhs_share": line.nhs_share,
        "provider": line.provider,
        "district": line.district,
        "planned_outputs": line.planned_outputs,
        "output_unit": line.output_unit,
        "note": line.description,
        "illustrative": line.illustrative,
    }


def _write_expenditure(ws: Any, document: BudgetDocument, complete: bool) -> None:
    columns = L.EXPENDITURE_COLUMNS
    _title_block(ws, "Expenditure", complete)
    _headers(ws, L.HEADER_ROW, columns)
    row = L.HEADER_ROW
    for values in _expenditure_rows(document):
        row += 1
        _input_row(ws, row, columns, values)
    last = row + SPARE_EXPENDITURE_ROWS
    for spare in range(row + 1, last + 1):
        _input_row(ws, spare, columns, {})
    _Validations(_lists(document.year)).add(ws, columns, L.HEADER_ROW + 1, last)
    ws.freeze_panes = f"C{L.HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{get_column_letter(len(columns))}{max(row, 5)}"
    _widths(ws, [c.width for c in columns])


def _write_metrics(ws: Any, document: BudgetDocument) -> None:
    _title_block(ws, "Metrics", None)
    _put(
        ws,
        2,
        1,
        "Placeholder: the national metrics the schemes say they move (Expenditure, 'Metrics it "
        "should move'). Ambitions for each metric are not yet part of this workbook.",
        L.NOTE,
    )
    headers = ("Metric", "Description", "Schemes", "Scheme IDs", "Planned expenditure (£)")
    _headers(ws, L.HEADER_ROW, headers)
    spend: dict[str, int] = defaultdict(int)
    for line in document.lines:
        spend[line.scheme_id] += line.amount_pence
    schemes_for: dict[str, list[str]] = defaultdict(list)
    for scheme in document.schemes:
        for metric in dict.fromkeys(scheme.metrics):
            schemes_for[metric].append(scheme.scheme_id)
    others = sorted(k for k in schemes_for if k not in cat.NATIONAL_METRICS)
    row = L.HEADER_ROW
    for key in [*cat.NATIONAL_METRICS, *others]:
        row += 1
        ids = schemes_for.get(key, [])
        label = cat.NATIONAL_METRICS.get(key, "Not a national metric")
        _put(ws, row, 1, key, L.computed_style())
        _put(ws, row, 2, label, L.COMPUTED_WRAP)
        _put(ws, row, 3, len(ids), L.computed_style())
        _put(
            ws,
            row,
            4,
            "; ".join(ids) or None,
            L.COMPUTED_WRAP,
        )
        _put(ws, row, 5, _pounds(sum(spend[i] for i in ids)), L.computed_style(L.MONEY_FORMAT))
    _widths(ws, (32, 50, 10, 40, 20))


def _share_table(
    ws: Any, row: int, title: str, header: str, shares: Sequence[Share], with_new: bool
) -> int:
    _put(ws, row, 1, title, L.SECTION)
    row += 1
    headers = [header, "Expenditure (£)", "Share of total"]
    headers += ["New investment (£)"] if with_new else []
    _headers(ws, row, headers)
    for share in shares:
        row += 1
        _put(ws, row, 1, share.label, L.computed_style())
        _put(ws, row, 2, _pounds(share.total_pence), L.computed_style(L.MONEY_FORMAT))
        _put(
            ws, row, 3, share.share.quantize(Decimal("0.000001")), L.computed_style(L.SHARE_FORMAT)
        )
        if with_new:
            _put(ws, row, 4, _pounds(share.new_pence), L.computed_style(L.MONEY_FORMAT))
    return row


def _write_summary(ws: Any, document: BudgetDocument) -> None:
    summary = summarise(document.lines)
    _title_block(ws, "Summary", None)
    _put(
        ws,
        2,
        1,
        "Computed from the Income and Expenditure sheets. Only the figures stated in the plan's "
        "narrative (yellow) are read back.",
        L.NOTE,
    )
    row = 1 + _share_table(
        ws, L.HEADER_ROW, "Expenditure by category", "Category", summary.categories, True
    )
    total_share = Decimal(1) if summary.total_pence else Decimal(0)
    _put(ws, row, 1, "Total", L.computed_style(bold=True))
    _put(ws, row, 2, _pounds(summary.total_pence), L.computed_style(L.MONEY_FORMAT, True))
    _put(ws, row, 3, total_share, L.computed_style(L.SHARE_FORMAT, True))
    _put(ws, row, 4, _pounds(summary.new_pence), L.computed_style(L.MONEY_FORMAT, True))
    row += 2
    _put(ws, row, 1, "By funding source", L.SECTION)
    row += 1
    _headers(
        ws,
        row,
        ("Source of funding", "Income (£)", "Expenditure (£)", "Income less expenditure (£)"),
    )
    income: dict[str, int] = defaultdict(int)
    spend: dict[str, int] = defaultdict(int)
    for item in document.income:
        income[item.source] += item.amount_pence
    for line in document.lines:
        spend[line.funding_source] += line.amount_pence
    present = set(income) | set(spend)
    sources = [k for k in cat.FUNDING_SOURCES if k in present]
    sources += sorted(present - set(cat.FUNDING_SOURCES))
    for source in sources:
        row += 1
        gap = income[source] - spend[source]
        _put(ws, row, 1, cat.FUNDING_SOURCES.get(source, source), L.computed_style())
        _put(ws, row, 2, _pounds(income[source]), L.computed_style(L.MONEY_FORMAT))
        _put(ws, row, 3, _pounds(spend[source]), L.computed_style(L.MONEY_FORMAT))
        gap_style = L.computed_style(L.MONEY_FORMAT) if gap == 0 else L.NO_MONEY
        _put(ws, row, 4, _pounds(gap), gap_style)
    row += 2
    row = 2 + _share_table(
        ws, row, "Expenditure by scheme type", "Scheme type", summary.by_type, True
    )
    row = 2 + _share_table(
        ws, row, "Expenditure by provider", "Provider", summary.by_provider, True
    )
    _put(ws, row, 1, L.STATED_TITLE, L.SECTION)
    row += 1
    _headers(ws, row, [*L.STATED_COLUMNS, *L.STATED_COMPUTED_HEADERS])
    stated = sorted(document.stated, key=lambda s: (s.what, s.text, s.source or ""))
    for figure in stated:
        row += 1
        _input_row(
            ws,
            row,
            L.STATED_COLUMNS,
            {"what": figure.what, "text": figure.text, "source": figure.source},
        )
        shown, agrees = _stated_check(document, summary, figure)
        _put(ws, row, 4, shown, L.computed_style())
        text, style = _yes_no(agrees) if agrees is not None else ("cannot be checked", L.NO_STYLE)
        _put(ws, row, 5, text, style)
    for spare in range(row + 1, row + SPARE_ROWS + 1):
        _input_row(ws, spare, L.STATED_COLUMNS, {})
    _widths(ws, (46, 20, 20, 26, 16))


def _stated_check(
    document: BudgetDocument, summary: Any, figure: Any
) -> tuple[str | None, bool | None]:
    from placeplan.budget.service import stated_checks  # pure; lives with the plan's views

    try:
        ((_, check),) = stated_checks(replace(document, stated=(figure,)), summary)
    except InputError as exc:
        return exc.message, None
    if check is None:
        return "not a figure this workbook computes", None
    return check.shown_as, check.agrees


def _write_lists(ws: Any, year: str) -> None:
    lists = _lists(year)
    for col, (name, values) in enumerate(lists.items(), start=1):
        _put(ws, 1, col, _LIST_HEADERS[name], L.HEADER)
        for row, value in enumerate(values, start=2):
            _put(ws, row, col, value, L.computed_style())
        ws.column_dimensions[get_column_letter(col)].width = 40
    ws.sheet_state = "hidden"


def write_workbook(
    target: str | os.PathLike[str] | IO[bytes],
    plan_meta: dict[str, Any],
    document: BudgetDocument,
    findings: list[Finding],
) -> None:
    """Write the plan's budget as the BCF planning workbook to a path or a binary stream.

    `plan_meta` gives the Cover's particulars: title, area_code, area_name and year."""
    meta = {k: plan_meta.get(k) for k, _, _ in L.COVER_FIELDS}
    meta["year"] = meta["year"] or document.year
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = "Better Care Fund planning workbook"
    cover = wb.active
    cover.title = L.COVER
    status = _status(meta, document, findings)
    _write_cover(cover, meta, document, findings, status)
    _write_income(wb.create_sheet(L.INCOME), document, status.income)
    _write_expenditure(wb.create_sheet(L.EXPENDITURE), document, status.expenditure)
    _write_metrics(wb.create_sheet(L.METRICS), document)
    _write_summary(wb.create_sheet(L.SUMMARY), document)
    _write_lists(wb.create_sheet(L.LISTS), document.year)
    wb.save(target)


# ---- reading and validating ------------------------------------------------------------------


def read_workbook(
    path: str | os.PathLike[str] | IO[bytes],
) -> tuple[BudgetDocument, dict[str, Any]]:
    """The workbook's budget and the Cover's particulars; InputError at the first problem."""
    parsed = read_parsed(path)
    if parsed.problems:
        raise parsed.error()
    return parsed.document, parsed.meta


def default_budget(document: BudgetDocument) -> Budget:
    """A budget to check a workbook against when no plan is given: one-tier, no baseline."""
    try:
        year_start = int(document.year[:4])
    except ValueError:
        year_start = 0
    return Budget(
        year_start=year_start,
        two_tier=False,
        income=document.income,
        lines=document.lines,
        top_slices=document.top_slices,
    )


def locate_findings(findings: Sequence[Finding], parsed: Parsed) -> list[dict[str, Any]]:
    """Each rule result with the sheet, row and column of what it names."""
    places = parsed.places
    seen: dict[tuple[str, str, str | None], int] = defaultdict(int)
    located = []
    for f in findings:
        sheet: str | None = L.EXPENDITURE
        row: int | None = None
        column = L.FIELD_COLUMNS.get(f.field or "")
        if f.line_id is not None and f.line_id in places.line_rows:
            rows = places.line_rows[f.line_id]
            n = seen[(f.rule, f.line_id, f.field)]
            seen[(f.rule, f.line_id, f.field)] += 1
            if f.rule == "unique-line-ids":
                n += 1
            row = rows[min(n, len(rows) - 1)]
        elif f.rule == "income-equals-expenditure" and f.field:
            if f.field in places.income_rows_by_source:
                sheet, row, column = L.INCOME, places.income_rows_by_source[f.field], "Amount (£)"
            else:
                row = places.source_line_rows.get(f.field)
                column = "Source of funding"
        elif f.rule == "amount-bounds" and f.field == "income":
            sheet, column = L.INCOME, "Amount (£)"
            row = next(
                (
                    r
                    for r, i in zip(places.income_rows, parsed.document.income, strict=True)
                    if not 0 <= i.amount_pence <= cat.MAX_AMOUNT_PENCE
                ),
                None,
            )
        elif f.field is None and f.line_id is None:
            sheet = L.EXPENDITURE
        located.append(
            {
                "rule": f.rule,
                "severity": f.severity,
                "sheet": sheet,
                "row": row,
                "column": column,
                "message": f.message,
            }
        )
    return located


def problems_json(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "rule": p.rule,
            "severity": "error",
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "message": p.message,
        }
        for p in problems
    ]


def validate_parsed(parsed: Parsed, budget_context: BudgetContext | None = None) -> dict[str, Any]:
    if parsed.problems:
        # Rules run on what could be read would mislead (an unreadable amount is not £0), so a
        # workbook with structural problems reports those first.
        return {"valid": False, "findings": problems_json(parsed.problems)}
    budget = (budget_context or default_budget)(parsed.document)
    findings = locate_findings(rules.check(budget), parsed)
    return {
        "valid": not any(f["severity"] == "error" for f in findings),
        "findings": findings,
    }


def validate_workbook(
    path: str | os.PathLike[str] | IO[bytes], budget_context: BudgetContext | None = None
) -> dict[str, Any]:
    """`{"valid", "findings": [{"rule", "severity", "sheet", "row", "column", "message"}]}`.

    `budget_context` turns the workbook's document into the Budget the rules check: pass
    `lambda d: budget_from(session, plan, d)` to check against a plan's area (two-tier districts,
    the NHS baseline); without it the budget is one-tier with no baseline."""
    try:
        parsed = read_parsed(path)
    except InputError as exc:
        return {
            "valid": False,
            "findings": [
                {
                    "rule": "workbook-file",
                    "severity": "error",
                    "sheet": exc.sheet,
                    "row": exc.row,
                    "column": exc.field if exc.sheet else None,
                    "message": exc.message,
                }
            ],
        }
    return validate_parsed(parsed, budget_context)
