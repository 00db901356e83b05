"""The BCF workbook's Summary sheet: formulas over the Income and Expenditure sheets, so that its
totals and checks recompute when a lead edits the workbook in Excel or LibreOffice.

Totals are SUMIFS over whole columns (a line added anywhere below counts); the checks that look
at each line (SUMPRODUCT) cover the Expenditure rows down to `Sheets.checked_to`. Figures that do
not come from the sheets (the NHS baseline and uplift, the area's district councils) are written
as values beside their labels. Only the figures stated in the plan's narrative (yellow, last on
the sheet) are read back: placeplan computes everything else again on import."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import Budget, BudgetDocument
from placeplan.budget.domain.stated import stated_checks
from placeplan.budget.domain.summary import summarise
from placeplan.budget.io import cells as C
from placeplan.budget.io import layout as L
from placeplan.core.errors import InputError

_SPEND_COLUMN = {c.key: i for i, c in enumerate(L.EXPENDITURE_COLUMNS, start=1)}
_INCOME_COLUMN = {c.key: i for i, c in enumerate(L.INCOME_COLUMNS, start=1)}
_TOP_SLICE_AMOUNT = next(i for i, c in enumerate(L.TOP_SLICE_COLUMNS, start=1) if c.key == "amount")
_LAST_ROW = 1_048_576  # the last row of a sheet, in Excel and LibreOffice
_MONEY = L.computed_style(L.MONEY_FORMAT)
_MONEY_BOLD = L.computed_style(L.MONEY_FORMAT, True)
_SHARE = L.computed_style(L.SHARE_FORMAT)


@dataclass(frozen=True)
class Sheets:
    """Where the Income and Expenditure sheets keep what the Summary adds up."""

    year: str
    income_rows: tuple[int, int]  # the income table's rows, its spare rows included
    top_slice_first: int  # the top-slice table's first data row (it runs to the sheet's end)
    checked_to: int  # the last Expenditure row the per-line checks look at

    def spend(self, key: str) -> str:
        return C.ref(L.EXPENDITURE, _SPEND_COLUMN[key], 0, whole=True)

    def spend_rows(self, key: str) -> str:
        return C.span(L.EXPENDITURE, _SPEND_COLUMN[key], L.HEADER_ROW + 1, self.checked_to)

    def income(self, key: str) -> str:
        return C.span(L.INCOME, _INCOME_COLUMN[key], *self.income_rows)

    def top_slices(self) -> str:
        return C.span(L.INCOME, _TOP_SLICE_AMOUNT, self.top_slice_first, _LAST_ROW)

    def lists(self, name: str) -> str:
        return C.list_span(self.year, name)


@dataclass(frozen=True)
class Checks:
    """Where the Summary keeps what the Cover's checklist asks: the number of lines, and for
    each rule the cells counting what breaks it (all nothing: the rule passes)."""

    lines: str
    by_rule: dict[str, str]


def _at(row: int, col: int = 2) -> str:
    return C.ref(L.SUMMARY, col, row)


def _local(row: int, col: int = 2) -> str:
    return C.ref(L.SUMMARY, col, row).split("!", 1)[1]


def _share_table(
    ws: Any, row: int, title: str, header: str, labels: Sequence[str], key: str, where: Sheets
) -> tuple[int, int]:
    """Expenditure and new investment by one column's label, a row for what no label takes,
    and each row's share of the total. Returns the first and last rows written."""
    C.put(ws, row, 1, title, L.SECTION)
    C.headers(ws, row + 1, (header, "Expenditure (£)", "Share of total", "New investment (£)"))
    first = row + 2
    last = first + len(labels)
    total = f"SUM({where.spend('amount')})"
    for at, text in enumerate(labels, start=first):
        C.put(ws, at, 1, text, L.computed_style())
        for col, summed in ((2, "amount"), (4, "new")):
            sums = f"SUMIFS({where.spend(summed)},{where.spend(key)},$A{at})"
            C.formula(ws, at, col, sums, _MONEY)
    C.put(ws, last, 1, L.NOT_LISTED, L.computed_style())
    for col, summed in ((2, "amount"), (4, "new")):
        listed = f"SUM({_local(first, col)}:{_local(last - 1, col)})"
        C.formula(ws, last, col, f"ROUND(SUM({where.spend(summed)})-{listed},2)", _MONEY)
    for at in range(first, last + 1):
        C.formula(ws, at, 3, f"IF({total}=0,0,{_local(at)}/{total})", _SHARE)
    return first, last


def _category_table(ws: Any, where: Sheets) -> int:
    labels = list(cat.CATEGORIES.values())
    title = "Expenditure by category"
    _, last = _share_table(ws, L.HEADER_ROW, title, "Category", labels, "category", where)
    row = last + 1
    C.put(ws, row, 1, "Total", L.computed_style(bold=True))
    C.formula(ws, row, 2, f"SUM({where.spend('amount')})", _MONEY_BOLD)
    C.formula(ws, row, 3, f"IF({_local(row)}=0,0,1)", L.computed_style(L.SHARE_FORMAT, True))
    C.formula(ws, row, 4, f"SUM({where.spend('new')})", _MONEY_BOLD)
    return row


def _sources(document: BudgetDocument) -> list[str]:
    """The year's sources, then any other the budget uses: each one's label."""
    present = {i.source for i in document.income} | {x.funding_source for x in document.lines}
    keys = list(L.sources_for(document.year))
    keys += [k for k in cat.FUNDING_SOURCES if k in present and k not in keys]
    keys += sorted(present - set(keys))
    return [cat.FUNDING_SOURCES.get(k, k) for k in keys]


def _source_table(ws: Any, row: int, document: BudgetDocument, where: Sheets) -> tuple[int, int]:
    """Income, expenditure and their difference by funding source; returns the first and last
    rows whose difference must be nothing (the row for unlisted sources included)."""
    C.put(ws, row, 1, "By funding source", L.SECTION)
    headers = ("Source of funding", "Income (£)", "Expenditure (£)", "Income less expenditure (£)")
    C.headers(ws, row + 1, headers)
    first = row + 2
    labels = _sources(document)
    last = first + len(labels)
    income, spend = where.income("amount"), where.spend("amount")
    for at, text in enumerate(labels, start=first):
        C.put(ws, at, 1, text, L.computed_style())
        C.formula(ws, at, 2, f"SUMIFS({income},{where.income('source')},$A{at})", _MONEY)
        C.formula(ws, at, 3, f"SUMIFS({spend},{where.spend('funding_source')},$A{at})", _MONEY)
    C.put(ws, last, 1, L.NOT_LISTED, L.computed_style())
    for col, whole in ((2, income), (3, spend)):
        listed = f"SUM({_local(first, col)}:{_local(last - 1, col)})"
        C.formula(ws, last, col, f"ROUND(SUM({whole})-{listed},2)", _MONEY)
    total = last + 1
    C.put(ws, total, 1, "Total", L.computed_style(bold=True))
    C.formula(ws, total, 2, f"SUM({income})", _MONEY_BOLD)
    C.formula(ws, total, 3, f"SUM({spend})", _MONEY_BOLD)
    for at in range(first, total + 1):
        style = _MONEY_BOLD if at == total else _MONEY
        C.formula(ws, at, 4, f"ROUND({_local(at)}-{_local(at, 3)},2)", style)
    C.red_unless_zero(ws, f"D{first}:D{total}")
    return first, last


def _label_rows(ws: Any, row: int, rows: Iterable[tuple[str, Any, bool, L.Style]]) -> int:
    """Label and value rows (a value that is a formula when its flag says so); the last row."""
    for label, value, is_formula, style in rows:
        row += 1
        C.put(ws, row, 1, label, L.computed_style())
        if is_formula:
            C.formula(ws, row, 2, value, style)
        else:
            C.put(ws, row, 2, value, style)
    return row


def _nhs_minimum(ws: Any, row: int, budget: Budget, where: Sheets) -> int:
    """The NHS minimum contribution to adult social care against the minimum the baseline and
    the year's uplift give (rounded up to the penny, as placeplan's rule does). Returns the row
    of the outcome: Yes, No, or not checked when no baseline is known."""
    C.put(ws, row, 1, "NHS minimum contribution to adult social care", L.SECTION)
    baseline = budget.nhs_asc_baseline_pence
    base, uplift, needed, planned = (_local(row + n) for n in (1, 2, 3, 4))
    spent = (
        f"SUMIFS({where.spend('amount')},{where.spend('funding_source')},"
        f"{C.quote(cat.FUNDING_SOURCES['nhs_minimum'])},{where.spend('area_of_spend')},"
        f"{C.quote(cat.AREAS_OF_SPEND['social_care'])})"
    )
    rows = (
        (
            "Baseline: the NHS contribution to adult social care the minimum grows from (£)",
            None if baseline is None else C.pounds(baseline),
            False,
            _MONEY,
        ),
        ("Uplift for the year (%)", budget.nhs_asc_uplift_percent, False, L.computed_style()),
        (
            "Minimum required: the baseline plus the uplift, rounded up to the penny (£)",
            f'IF(OR({base}="",{uplift}=""),"",ROUNDUP(ROUND({base}*(1+{uplift}/100),6),2))',
            True,
            _MONEY,
        ),
        ("Planned: NHS minimum contribution spent on social care (£)", spent, True, _MONEY),
        (
            "At least the minimum",
            f'IF({needed}="","Not checked: no baseline",'
            f'IF(ROUND({planned}-{needed},2)>=0,"Yes","No"))',
            True,
            L.STATUS,
        ),
    )
    last = _label_rows(ws, row, rows)
    C.coloured(ws, f"B{last}", L.YES, L.NO)
    return last


def _dfg(ws: Any, row: int, budget: Budget, where: Sheets) -> int:
    """In a two-tier area the DFG passes to the district councils in full, less the top-slices
    the partners agreed; returns the row of the outcome (Yes, No, or not needed)."""
    C.put(ws, row, 1, "Disabled Facilities Grant passed to the district councils", L.SECTION)
    row = _label_rows(
        ws, row, (("Two-tier area", L.YES if budget.two_tier else L.NO, False, L.computed_style()),)
    )
    tier = _local(row)
    districts = tuple(sorted(budget.districts)) if budget.two_tier else ()
    for n, key in enumerate(districts or (None,)):
        label = "District councils of the area" if n == 0 else None
        C.put(ws, row + 1 + n, 1, label, L.computed_style())
        C.put(ws, row + 1 + n, 2, key, L.computed_style())
    named = f"{_local(row + 1)}:{_local(row + max(len(districts), 1))}"
    row += max(len(districts), 1)
    dfg = C.quote(cat.FUNDING_SOURCES["dfg"])
    spend, source = where.spend("amount"), where.spend("funding_source")
    passed = f"SUMPRODUCT(SUMIFS({spend},{source},{dfg},{where.spend('district')},{named}))"
    income, kept, given, held = (_local(row + n) for n in (1, 2, 3, 4))
    rows = (
        ("DFG income (£)", f"SUMIFS({where.income('amount')},{where.income('source')},{dfg})"),
        ("DFG kept back by top-slices the partners agreed (£)", f"SUM({where.top_slices()})"),
        ("DFG passed to the district councils (£)", passed if districts else "0"),
        (
            "DFG spent without passing it to a district council (£)",
            f"ROUND(SUMIFS({spend},{source},{dfg})-{given},2)",
        ),
    )
    row = _label_rows(ws, row, ((label, text, True, _MONEY) for label, text in rows))
    in_full = f"ROUND({given}-({income}-{kept}),2)=0,ROUND({held}-{kept},2)<=0"
    outcome = (
        f'IF({tier}="{L.NO}","Not needed: a one-tier area",IF(AND({in_full}),"{L.YES}","{L.NO}"))'
    )
    label = "The DFG passes to the district councils in full, less agreed top-slices"
    row = _label_rows(ws, row, ((label, outcome, True, L.STATUS),))
    C.coloured(ws, f"B{row}", L.YES, L.NO)
    return row


def _line_mask(where: Sheets) -> str:
    """Which of the checked Expenditure rows hold a line (not a scheme without lines yet)."""
    keys = ("line_id", "funding_source", "amount", "area_of_spend", "commissioner", "provider")
    return "((" + "+".join(f'({where.spend_rows(k)}<>"")' for k in keys) + ")>0)"


def _field_checks(where: Sheets, mask: str) -> list[tuple[str, str, str]]:
    """(rule, what is counted, formula) for the fields each line's scheme type needs."""
    rows = where.spend_rows
    kind = rows("scheme_type")

    def not_listed(key: str, name: str) -> str:
        return f"SUMPRODUCT({mask}*(COUNTIF({where.lists(name)},{rows(key)})=0))"

    listed = (
        ("scheme_type", "scheme_types", "scheme type"),
        ("category", "categories", "category"),
        ("funding_source", "all_sources", "source of funding"),
        ("area_of_spend", "areas", "area of spend"),
        ("commissioner", "commissioners", "commissioner"),
        ("provider", "providers", "provider"),
    )
    checks = [
        (f"Lines whose {what} is not one from the list", not_listed(key, name))
        for key, name, what in listed
    ]
    share = rows("nhs_share")
    checks += [
        (
            "Lines whose scheme type has sub-types, without one of them",
            f"SUMPRODUCT({mask}*(COUNTIF({where.lists('sub_type_owners')},{kind})>0)"
            f'*(COUNTIF({where.lists("sub_type_pairs")},{kind}&"|"&{rows("sub_type")})=0))',
        ),
        (
            "Lines whose scheme type counts outputs, without planned outputs and their unit",
            f"SUMPRODUCT({mask}*(COUNTIF({where.lists('output_types')},{kind})>0)"
            f'*(((ISNUMBER({rows("planned_outputs")})=FALSE)+(TRIM({rows("output_unit")})=""))>0))',
        ),
        (
            "Jointly commissioned lines without an NHS share from 0 to 100",
            f"SUMPRODUCT({mask}*({rows('commissioner')}={C.quote(cat.COMMISSIONERS['joint'])})"
            f"*(((ISNUMBER({share})=FALSE)+({share}<0)+({share}>100))>0))",
        ),
        (
            "Lines of type Other without a note saying what they are",
            f"SUMPRODUCT({mask}*({kind}={C.quote(cat.SCHEME_TYPES['other'])})"
            f'*(TRIM({rows("note")})=""))',
        ),
    ]
    return [("line-fields", label, text) for label, text in checks]


def _line_checks(where: Sheets) -> list[tuple[str, str, str]]:
    """(rule, what is counted, formula) for the rules that look at each expenditure line, after
    the number of lines."""
    rows = where.spend_rows
    mask = _line_mask(where)
    amount, new, ids = rows("amount"), rows("new"), rows("line_id")
    bounds = "+".join(
        f'COUNTIF({cells},"{test}")'
        for cells in (where.spend("amount"), where.income("amount"))
        for test in ("<0", f">{L.MAX_POUNDS}")
    )
    not_dfg = "".join(
        f",{where.spend('scheme_type')},{C.quote('<>' + cat.SCHEME_TYPES[k])}"
        for k in sorted(cat.DFG_TYPES)
    )
    dfg = C.quote(cat.FUNDING_SOURCES["dfg"])
    return [
        ("lines", "Expenditure lines entered", f"SUMPRODUCT({mask}*1)"),
        *_field_checks(where, mask),
        (
            "unique-line-ids",
            "Lines whose line id another line also has",
            f'SUMPRODUCT(({ids}<>"")*(COUNTIF({ids},{ids})>1))',
        ),
        ("amount-bounds", "Amounts of lines and income below £0 or over £1bn", bounds),
        (
            "amount-bounds",
            "Lines whose new investment is below £0 or over the line's amount",
            f'SUMPRODUCT(({new}<>"")*((({new}<0)+({new}>{amount}*({amount}>0)))>0))',
        ),
        (
            "dfg-on-dfg-lines",
            "DFG lines on schemes that are neither DFG related nor housing related",
            f"COUNTIFS({where.spend('funding_source')},{dfg}{not_dfg})",
        ),
    ]


def _checks(
    ws: Any, row: int, where: Sheets, sources: tuple[int, int], outcomes: dict[str, int]
) -> tuple[int, Checks]:
    """What breaks each rule, counted; the Cover's checklist says Yes where a rule's count is
    nothing. Returns the last row written and where the counts are."""
    C.put(ws, row, 1, "Checks over the Income and Expenditure sheets", L.SECTION)
    C.headers(ws, row + 1, ("Check", "Found"))
    differ = f"SUMPRODUCT(({_local(sources[0], 4)}:{_local(sources[1], 4)}<>0)*1)"
    checks = _line_checks(where)
    checks.append(
        ("income-equals-expenditure", "Sources whose income and expenditure differ", differ)
    )
    failed = (
        ("dfg-passed-to-districts", "DFG not passed to the district councils in full", "dfg"),
        (
            "nhs-asc-minimum",
            "NHS minimum contribution to adult social care below the minimum",
            "nhs",
        ),
    )
    checks += [
        (rule, label, f'IF({_local(outcomes[key])}="{L.NO}",1,0)') for rule, label, key in failed
    ]
    rows: dict[str, list[int]] = {}
    for at, (rule, label, text) in enumerate(checks, start=row + 2):
        C.put(ws, at, 1, label, L.COMPUTED_WRAP)
        C.formula(ws, at, 2, text, L.computed_style())
        rows.setdefault(rule, []).append(at)
    last = row + 1 + len(checks)
    C.red_unless_zero(ws, f"B{row + 3}:B{last}")
    lines = rows.pop("lines")[0]
    by_rule = {rule: ",".join(_at(r) for r in at) for rule, at in rows.items()}
    return last, Checks(_at(lines), by_rule)


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


def _stated(ws: Any, row: int, document: BudgetDocument) -> None:
    """The figures the narrative states (inputs, read back) and their check when exported."""
    summary = summarise(document.lines)
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


NOTE = (
    "Formulas over the Income and Expenditure sheets: they recompute when those sheets are "
    "edited. placeplan reads back only the figures stated in the plan's narrative (yellow, at "
    "the end) and checks every rule again when the workbook is imported."
)


def write_summary(ws: Any, document: BudgetDocument, budget: Budget, where: Sheets) -> Checks:
    """The Summary sheet; returns where its checks are, for the Cover's checklist."""
    C.title_block(ws, "Summary")
    C.put(ws, 2, 1, NOTE, L.NOTE)
    row = _category_table(ws, where) + 2
    sources = _source_table(ws, row, document, where)
    row = sources[1] + 3
    for title, header, labels, key in (
        ("Expenditure by scheme type", "Scheme type", cat.SCHEME_TYPES, "scheme_type"),
        ("Expenditure by provider", "Provider", cat.PROVIDERS, "provider"),
    ):
        row = _share_table(ws, row, title, header, list(labels.values()), key, where)[1] + 2
    nhs = _nhs_minimum(ws, row, budget, where)
    dfg = _dfg(ws, nhs + 2, budget, where)
    row, checks = _checks(ws, dfg + 2, where, sources, {"nhs": nhs, "dfg": dfg})
    _stated(ws, row + 2, document)
    C.widths(ws, (62, 20, 20, 26, 16))
    return checks
