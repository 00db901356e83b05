"""Writing a budget as the BCF planning workbook: sheets Cover, Income, Expenditure, Metrics and
Summary (and a hidden Lists sheet the drop-downs draw on). Money is written as pounds (pence / 100,
exact Decimal) and read back to the penny. The same input gives the same cells and styles, so
export, import, export is identical."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import BudgetDocument, ExpenditureLine, Finding, SchemeInfo
from placeplan.budget.domain.stated import stated_checks
from placeplan.budget.domain.summary import Share, summarise
from placeplan.budget.io import cells as C
from placeplan.budget.io import layout as L
from placeplan.core.errors import InputError


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
    C.put(ws, 1, 1, title or L.INCOMPLETE_TITLE, L.TITLE if complete else L.TITLE_INCOMPLETE)
    C.put(ws, 2, 1, L.FORMAT_NAME, L.NOTE)
    row = 4
    for key, label, is_input in L.COVER_FIELDS:
        C.put(ws, row, 1, label, L.LABEL)
        value = meta.get(key)
        style = L.input_style() if is_input else L.computed_style()
        C.put(ws, row, L.COVER_VALUE_COLUMN, None if value is None else str(value), style)
        row += 1
    row += 1
    C.put(ws, row, 1, "Checklist", L.SECTION)
    row += 1
    C.headers(ws, row, ("Required item", "Done?", "Where"))
    for label, sheet, done in status.items:
        row += 1
        C.put(ws, row, 1, label, L.computed_style())
        text, style = C.yes_no(done)
        C.put(ws, row, 2, text, style)
        C.link(C.put(ws, row, 3, sheet, L.computed_style()), sheet)
    row += 2
    C.put(ws, row, 1, "Sheets", L.SECTION)
    row += 1
    C.headers(ws, row, ("Sheet", "Status", "Where"))
    sheets = (
        (L.COVER, status.cover),
        (L.INCOME, status.income),
        (L.EXPENDITURE, status.expenditure),
    )
    for sheet, done in sheets:
        row += 1
        C.put(ws, row, 1, sheet, L.computed_style())
        text, style = C.complete(done)
        C.put(ws, row, 2, text, style)
        C.link(C.put(ws, row, 3, sheet, L.computed_style()), sheet)
    row += 1
    C.put(ws, row, 1, "Template", L.computed_style(bold=True))
    text, style = C.complete(complete)
    C.put(ws, row, 2, text, style)
    row += 2
    C.put(ws, row, 1, "Rule results", L.SECTION)
    row += 1
    C.headers(ws, row, ("Message", "Rule", "Severity"))
    if not findings:
        row += 1
        C.put(ws, row, 1, "Every rule passes.", L.computed_style())
    for finding in findings:
        row += 1
        C.put(ws, row, 1, finding.message, L.COMPUTED_WRAP)
        C.put(ws, row, 2, finding.rule, L.computed_style())
        C.put(ws, row, 3, finding.severity, L.computed_style())
    C.widths(ws, (70, 30, 16))


def _write_income(ws: Any, document: BudgetDocument, complete: bool) -> None:
    C.title_block(ws, "Income", complete)
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


def _write_expenditure(ws: Any, document: BudgetDocument, complete: bool) -> None:
    columns = L.EXPENDITURE_COLUMNS
    C.title_block(ws, "Expenditure", complete)
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


def _write_metrics(ws: Any, document: BudgetDocument) -> None:
    C.title_block(ws, "Metrics", None)
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


def _share_table(
    ws: Any, row: int, title: str, header: str, shares: Sequence[Share], with_new: bool
) -> int:
    C.put(ws, row, 1, title, L.SECTION)
    row += 1
    headers = [header, "Expenditure (£)", "Share of total"]
    headers += ["New investment (£)"] if with_new else []
    C.headers(ws, row, headers)
    for share in shares:
        row += 1
        C.put(ws, row, 1, share.label, L.computed_style())
        C.put(ws, row, 2, C.pounds(share.total_pence), L.computed_style(L.MONEY_FORMAT))
        C.put(
            ws, row, 3, share.share.quantize(Decimal("0.000001")), L.computed_style(L.SHARE_FORMAT)
        )
        if with_new:
            C.put(ws, row, 4, C.pounds(share.new_pence), L.computed_style(L.MONEY_FORMAT))
    return row


def _write_summary(ws: Any, document: BudgetDocument) -> None:
    summary = summarise(document.lines)
    C.title_block(ws, "Summary", None)
    C.put(
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
    C.put(ws, row, 1, "Total", L.computed_style(bold=True))
    C.put(ws, row, 2, C.pounds(summary.total_pence), L.computed_style(L.MONEY_FORMAT, True))
    C.put(ws, row, 3, total_share, L.computed_style(L.SHARE_FORMAT, True))
    C.put(ws, row, 4, C.pounds(summary.new_pence), L.computed_style(L.MONEY_FORMAT, True))
    row += 2
    C.put(ws, row, 1, "By funding source", L.SECTION)
    row += 1
    C.headers(
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
        C.put(ws, row, 1, cat.FUNDING_SOURCES.get(source, source), L.computed_style())
        C.put(ws, row, 2, C.pounds(income[source]), L.computed_style(L.MONEY_FORMAT))
        C.put(ws, row, 3, C.pounds(spend[source]), L.computed_style(L.MONEY_FORMAT))
        gap_style = L.computed_style(L.MONEY_FORMAT) if gap == 0 else L.NO_MONEY
        C.put(ws, row, 4, C.pounds(gap), gap_style)
    row += 2
    row = 2 + _share_table(
        ws, row, "Expenditure by scheme type", "Scheme type", summary.by_type, True
    )
    row = 2 + _share_table(
        ws, row, "Expenditure by provider", "Provider", summary.by_provider, True
    )
    C.put(ws, row, 1, L.STATED_TITLE, L.SECTION)
    row += 1
    C.headers(ws, row, [*L.STATED_COLUMNS, *L.STATED_COMPUTED_HEADERS])
    stated = sorted(document.stated, key=lambda s: (s.what, s.text, s.source or ""))
    for figure in stated:
        row += 1
        C.input_row(
            ws,
            row,
            L.STATED_COLUMNS,
            {"what": figure.what, "text": figure.text, "source": figure.source},
        )
        shown, agrees = _stated_check(document, summary, figure)
        C.put(ws, row, 4, shown, L.computed_style())
        text, style = C.yes_no(agrees) if agrees is not None else ("cannot be checked", L.NO_STYLE)
        C.put(ws, row, 5, text, style)
    for spare in range(row + 1, row + C.SPARE_ROWS + 1):
        C.input_row(ws, spare, L.STATED_COLUMNS, {})
    C.widths(ws, (46, 20, 20, 26, 16))


def _stated_check(
    document: BudgetDocument, summary: Any, figure: Any
) -> tuple[str | None, bool | None]:
    try:
        ((_, check),) = stated_checks(replace(document, stated=(figure,)), summary)
    except InputError as exc:
        return exc.message, None
    if check is None:
        return "not a figure this workbook computes", None
    return check.shown_as, check.agrees


def _write_lists(ws: Any, year: str) -> None:
    lists = C.list_values(year)
    for col, (name, values) in enumerate(lists.items(), start=1):
        C.put(ws, 1, col, C.LIST_HEADERS[name], L.HEADER)
        for row, value in enumerate(values, start=2):
            C.put(ws, row, col, value, L.computed_style())
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
