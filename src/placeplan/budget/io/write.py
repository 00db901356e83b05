"""Writing a budget as the BCF planning workbook: sheets Cover, Income, Expenditure, Metrics and
Summary (and a hidden Lists sheet the drop-downs and checks draw on). Money is written as pounds
(pence / 100, exact Decimal) and read back to the penny.

The Cover's checklist, the sheets' statuses and the Summary are formulas over the Income and
Expenditure sheets (budget.io.summary), so they stay true when a lead edits the workbook in Excel
or LibreOffice; no cached results are written, and the workbook asks to be calculated in full
when opened. The reader never reads them back. The bytes depend on the budget alone (fixed
document and zip-entry times), so the same plan exports identical bytes."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import (
    Budget,
    BudgetDocument,
    ExpenditureLine,
    Finding,
    SchemeInfo,
)
from placeplan.budget.domain.differences import Names
from placeplan.budget.io import cells as C
from placeplan.budget.io import layout as L
from placeplan.budget.io.summary import Checks, Sheets, write_summary
from placeplan.io.xlsx_stable import stable_bytes


def _errors_of(findings: Iterable[Finding], rule_ids: Iterable[str]) -> bool:
    wanted = set(rule_ids)
    return any(f.severity == "error" and f.rule in wanted for f in findings)


@dataclass(frozen=True)
class _Item:
    """One checklist item: a formula, or (a rule the Summary does not check) as exported."""

    label: str
    sheet: str  # the sheet it is about, which its row links to
    part: str  # the sheet whose status it counts towards: Cover, Income or Expenditure
    done: str | bool


def _items(findings: Sequence[Finding], checks: Checks, where: Sheets) -> list[_Item]:
    given = {key: f"$B${4 + n}" for n, (key, _, _) in enumerate(L.COVER_FIELDS)}
    known = {rule for _, _, ids in L.CHECKLIST_RULES for rule in ids}
    other_rules = sorted({f.rule for f in findings if f.rule not in known})
    items = [
        _Item(label, L.COVER, L.COVER, f'IF(LEN(TRIM({given[key]}))>0,"{L.YES}","{L.NO}")')
        for key, label in (
            ("title", "Plan title given"),
            ("area_code", "Area GSS code given"),
            ("year", "Financial year given"),
        )
    ]
    items += [
        _Item(
            "Income: at least one contribution entered",
            L.INCOME,
            L.INCOME,
            f'IF(COUNT({where.income("amount")})>0,"{L.YES}","{L.NO}")',
        ),
        _Item(
            "Expenditure: at least one line entered",
            L.EXPENDITURE,
            L.EXPENDITURE,
            f'IF({checks.lines}>0,"{L.YES}","{L.NO}")',
        ),
    ]
    for label, sheet, ids in L.CHECKLIST_RULES:
        counts = ",".join(checks.by_rule[rule] for rule in ids)
        part = L.INCOME if ids == ("income-equals-expenditure",) else L.EXPENDITURE
        items.append(_Item(label, sheet, part, f'IF(SUM({counts})=0,"{L.YES}","{L.NO}")'))
    items += [
        _Item(
            f"Rule {rule} passes", L.EXPENDITURE, L.EXPENDITURE, not _errors_of(findings, (rule,))
        )
        for rule in other_rules
    ]
    return items


def _checklist(ws: Any, row: int, items: list[_Item]) -> dict[str, list[str]]:
    """The checklist's rows from `row`; each sheet's items' cells."""
    parts: dict[str, list[str]] = defaultdict(list)
    for at, item in enumerate(items, start=row):
        C.put(ws, at, 1, item.label, L.computed_style())
        if isinstance(item.done, str):
            C.formula(ws, at, 2, item.done, L.STATUS)
        else:
            text, style = C.yes_no(item.done)
            C.put(ws, at, 2, text, style)
        C.link(C.put(ws, at, 3, item.sheet, L.computed_style()), item.sheet)
        parts[item.part].append(f"$B${at}")
    C.coloured(ws, f"B{row}:B{row + len(items) - 1}", L.YES, L.NO)
    return parts


def _write_cover(
    ws: Any, meta: dict[str, Any], findings: Sequence[Finding], items: list[_Item]
) -> dict[str, str]:
    """The Cover: particulars, the checklist and the sheets' statuses (formulas), and the rule
    results when exported. Returns each sheet's status cell."""
    row = 4
    for key, label, is_input in L.COVER_FIELDS:
        C.put(ws, row, 1, label, L.LABEL)
        value = meta.get(key)
        style = L.input_style() if is_input else L.computed_style()
        C.put(ws, row, L.COVER_VALUE_COLUMN, None if value is None else str(value), style)
        row += 1
    year = f"$B${4 + [k for k, _, _ in L.COVER_FIELDS].index('year')}"
    C.put(ws, row + 1, 1, "Checklist", L.SECTION)
    C.headers(ws, row + 2, ("Required item", "Done?", "Where"))
    first = row + 3
    parts = _checklist(ws, first, items)
    row = first + len(items) + 1
    C.put(ws, row, 1, "Sheets", L.SECTION)
    C.headers(ws, row + 1, ("Sheet", "Status", "Where"))
    status: dict[str, str] = {}
    for at, sheet in enumerate((L.COVER, L.INCOME, L.EXPENDITURE), start=row + 2):
        C.put(ws, at, 1, sheet, L.computed_style())
        done = ",".join(f'{cell}="{L.YES}"' for cell in parts[sheet])
        C.formula(ws, at, 2, f'IF(AND({done}),"{L.COMPLETE}","{L.INCOMPLETE}")', L.STATUS)
        C.link(C.put(ws, at, 3, sheet, L.computed_style()), sheet)
        status[sheet] = C.ref(L.COVER, 2, at)
    row += 5
    C.put(ws, row, 1, "Template", L.computed_style(bold=True))
    done = f'COUNTIF($B${first}:$B${first + len(items) - 1},"{L.YES}")={len(items)}'
    C.formula(ws, row, 2, f'IF({done},"{L.COMPLETE}","{L.INCOMPLETE}")', L.STATUS)
    C.coloured(ws, f"B{row - 3}:B{row}", L.COMPLETE, L.INCOMPLETE)
    title = f'IF($B${row}="{L.COMPLETE}",TRIM("Better Care Fund Planning Template "&{year}),'
    C.formula(ws, 1, 1, f'{title}"{L.INCOMPLETE_TITLE}")', L.TITLE)
    C.red_when(ws, "A1", L.INCOMPLETE_TITLE, L.TITLE_INCOMPLETE_FONT)
    C.put(ws, 2, 1, L.FORMAT_NAME, L.NOTE)
    _rule_results(ws, row + 2, findings)
    C.widths(ws, (70, 30, 16))
    return status


def _rule_results(ws: Any, row: int, findings: Sequence[Finding]) -> None:
    C.put(ws, row, 1, "Rule results when exported", L.SECTION)
    C.put(
        ws,
        row + 1,
        1,
        "placeplan's own checks as the workbook was written; it checks every rule again when the "
        "workbook is imported. The checklist above recomputes as the sheets are edited.",
        L.NOTE,
    )
    row += 2
    C.headers(ws, row, ("Message", "Rule", "Severity"))
    if not findings:
        row += 1
        C.put(ws, row, 1, "Every rule passes.", L.computed_style())
    for finding in findings:
        row += 1
        C.put(ws, row, 1, finding.message, L.COMPUTED_WRAP)
        C.put(ws, row, 2, finding.rule, L.computed_style())
        C.put(ws, row, 3, finding.severity, L.computed_style())


def _write_income(ws: Any, document: BudgetDocument) -> tuple[tuple[int, int], int]:
    """The Income sheet; returns the income table's rows (spares and the blank row below them
    included) and the top-slice table's first data row."""
    C.title_block(ws, "Income")
    C.headers(ws, L.HEADER_ROW, L.INCOME_COLUMNS)
    row = L.HEADER_ROW
    for income in document.income:
        row += 1
        C.input_row(
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
    last_input = row + C.SPARE_ROWS
    for spare in range(row + 1, last_input + 1):
        C.input_row(ws, spare, L.INCOME_COLUMNS, {})
    validations = C.Validations(C.list_values(document.year))
    validations.add(ws, L.INCOME_COLUMNS, L.HEADER_ROW + 1, last_input)
    row = last_input + 2
    C.put(ws, row, 1, L.TOP_SLICES_TITLE, L.SECTION)
    C.put(
        ws,
        row + 1,
        1,
        "In a two-tier area the DFG passes to the district councils in full unless the partners "
        "agree to keep part back: record each such agreement here.",
        L.NOTE,
    )
    row += 2
    C.headers(ws, row, L.TOP_SLICE_COLUMNS)
    first = row + 1
    slices = sorted(
        document.top_slices, key=lambda t: (t.decided_on, t.body, t.amount_pence, t.purpose)
    )
    for top in slices:
        row += 1
        C.input_row(
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
    for spare in range(row + 1, row + C.SPARE_ROWS + 1):
        C.input_row(ws, spare, L.TOP_SLICE_COLUMNS, {})
    validations.add(ws, L.TOP_SLICE_COLUMNS[2:3], first, row + C.SPARE_ROWS)
    ws.freeze_panes = f"A{L.HEADER_ROW + 1}"
    widths = [
        max(a.width, b.width) for a, b in zip(L.INCOME_COLUMNS, L.TOP_SLICE_COLUMNS, strict=False)
    ]
    C.widths(ws, widths + [c.width for c in L.INCOME_COLUMNS[len(widths) :]])
    return (L.HEADER_ROW + 1, last_input + 1), first


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
        "sub_type": C.label(subtypes, line.sub_type),
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


def _write_expenditure(ws: Any, document: BudgetDocument) -> int:
    """The Expenditure sheet; returns its last row with drop-downs (the last spare row)."""
    columns = L.EXPENDITURE_COLUMNS
    C.title_block(ws, "Expenditure")
    C.headers(ws, L.HEADER_ROW, columns)
    row = L.HEADER_ROW
    for values in _expenditure_rows(document):
        row += 1
        C.input_row(ws, row, columns, values)
    last = row + C.SPARE_EXPENDITURE_ROWS
    for spare in range(row + 1, last + 1):
        C.input_row(ws, spare, columns, {})
    C.Validations(C.list_values(document.year)).add(ws, columns, L.HEADER_ROW + 1, last)
    ws.freeze_panes = f"C{L.HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{get_column_letter(len(columns))}{max(row, 5)}"
    C.widths(ws, [c.width for c in columns])
    return last


def _write_metrics(ws: Any, document: BudgetDocument) -> None:
    C.title_block(ws, "Metrics")
    C.put(
        ws,
        2,
        1,
        "Placeholder: the national metrics the schemes say they move (Expenditure, 'Metrics it "
        "should move'). Ambitions for each metric are not yet part of this workbook.",
        L.NOTE,
    )
    headers = ("Metric", "Description", "Schemes", "Scheme IDs", "Planned expenditure (£)")
    C.headers(ws, L.HEADER_ROW, headers)
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
        C.put(ws, row, 1, key, L.computed_style())
        C.put(ws, row, 2, label, L.COMPUTED_WRAP)
        C.put(ws, row, 3, len(ids), L.computed_style())
        C.put(
            ws,
            row,
            4,
            "; ".join(ids) or None,
            L.COMPUTED_WRAP,
        )
        C.put(ws, row, 5, C.pounds(sum(spend[i] for i in ids)), L.computed_style(L.MONEY_FORMAT))
    C.widths(ws, (32, 50, 10, 40, 20))


def _write_lists(ws: Any, year: str) -> None:
    lists = C.list_values(year)
    for col, (name, values) in enumerate(lists.items(), start=1):
        C.put(ws, 1, col, C.LIST_HEADERS[name], L.HEADER)
        for row, value in enumerate(values, start=2):
            C.put(ws, row, col, value, L.computed_style())
        ws.column_dimensions[get_column_letter(col)].width = 40
    ws.sheet_state = "hidden"


def _workbook(
    plan_meta: dict[str, Any],
    document: BudgetDocument,
    findings: Sequence[Finding],
    budget: Budget,
) -> Any:
    meta = {k: plan_meta.get(k) for k, _, _ in L.COVER_FIELDS}
    meta["year"] = meta["year"] or document.year
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = "Better Care Fund planning workbook"
    wb.calculation.fullCalcOnLoad = True  # no cached results: Excel and LibreOffice compute them
    cover = wb.active
    cover.title = L.COVER
    income = wb.create_sheet(L.INCOME)
    income_rows, top_slice_first = _write_income(income, document)
    spend = wb.create_sheet(L.EXPENDITURE)
    last = _write_expenditure(spend, document)
    _write_metrics(wb.create_sheet(L.METRICS), document)
    where = Sheets(document.year, income_rows, top_slice_first, max(last, L.CHECKED_ROWS_TO))
    checks = write_summary(wb.create_sheet(L.SUMMARY), document, budget, where)
    _write_lists(wb.create_sheet(L.LISTS), document.year)
    status = _write_cover(cover, meta, findings, _items(findings, checks, where))
    C.sheet_status(income, status[L.INCOME])
    C.sheet_status(spend, status[L.EXPENDITURE])
    return wb


def write_workbook(
    target: str | os.PathLike[str] | IO[bytes],
    plan_meta: dict[str, Any],
    document: BudgetDocument,
    findings: Sequence[Finding],
    budget: Budget | None = None,
    names: Names | None = None,
) -> None:
    """Write the plan's budget as the BCF planning workbook to a path or a binary stream.

    `plan_meta` gives the Cover's particulars: title, area_code, area_name and year. `budget`
    is the Budget `findings` were checked on: the Summary writes its NHS baseline, uplift and
    district councils beside the formulas that check them (without it: one-tier, no baseline).
    `names` gives the organisations and bodies the budget names by key their names, which the
    workbook shows (the import reads a name back to its key)."""
    content = workbook_bytes(plan_meta, document, findings, budget, names)
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as stream:
            stream.write(content)
    else:
        target.write(content)


def workbook_bytes(
    plan_meta: dict[str, Any],
    document: BudgetDocument,
    findings: Sequence[Finding],
    budget: Budget | None = None,
    names: Names | None = None,
) -> bytes:
    """The workbook write_workbook writes, as bytes that depend on its content alone."""
    budget = budget or Budget(_year_start(document.year), two_tier=False)
    document, budget = named(document, budget, names or Names())
    return stable_bytes(_workbook(plan_meta, document, findings, budget))


def named(document: BudgetDocument, budget: Budget, names: Names) -> tuple[BudgetDocument, Budget]:
    """The document and budget with each organisation and body by its name, as people read the
    workbook (a key `names` does not know stays as it is)."""
    org = names.organisation
    return replace(
        document,
        income=tuple(replace(i, contributor=org(i.contributor) or None) for i in document.income),
        lines=tuple(replace(x, district=org(x.district) or None) for x in document.lines),
        top_slices=tuple(replace(t, body=names.body(t.body)) for t in document.top_slices),
    ), replace(budget, districts=tuple(org(d) for d in budget.districts))


def _year_start(year: str) -> int:
    try:
        return int(year[:4])
    except ValueError:
        return 0
