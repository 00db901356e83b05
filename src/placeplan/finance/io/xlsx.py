"""The financial model as a workbook whose totals are formulas, so it stays true when someone
changes an assumption in Excel: the do-nothing challenge (Table 17's layout), the proposal by
year (Table 19's) and the bridge (Table 18's), in pounds. Each year's lines are the model's
figures (efficiency and the impact on uplifts as the model worked them out); openings,
recurrent and total positions, movements, period totals and the bridge's subtotals are formulas.
Pure: a computed Result in, bytes out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.finance.domain.compute import Position, Result
from placeplan.finance.domain.model import UPLIFTS, year_label
from placeplan.io.grid import escape_text
from placeplan.io.xlsx_stable import stable_bytes

POUNDS = '#,##0;(#,##0);"-"'
BOLD = Font(bold=True)


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _text(ws: Any, row: int, col: int, text: str, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=escape_text(text))
    cell.data_type = "s"  # never a formula, whatever it starts with
    if bold:
        cell.font = BOLD


def _put(ws: Any, row: int, col: int, value: Decimal | str, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.number_format = POUNDS
    if bold:
        cell.font = BOLD


def _labels(ws: Any, result: Result, position: Position, with_opening: bool) -> dict[str, int]:
    """The sheet's header and first column: the row of each line key and each position row."""
    model = result.model
    n = len(model.years)
    _text(ws, 1, 1, "£", bold=True)
    for i, year in enumerate(model.years):
        _text(ws, 1, 2 + i, year_label(year), bold=True)
    _text(ws, 1, 2 + n, f"{n} years", bold=True)
    rows: dict[str, int] = {}
    r = 2
    before = year_label(model.first_year - 1)
    if with_opening:
        _text(ws, r, 1, f"{before} plan")
        _put(ws, r, 2, _pounds(model.opening.plan_position))
        _text(ws, r + 1, 1, f"Remove {before} non-recurrent items")
        _put(ws, r + 1, 2, _pounds(-model.opening.non_recurrent))
        r += 2
    labelled = [("opening", "Opening surplus/(deficit)")]
    labelled += [(line.key, line.name) for line in position.lines if line.recurrent]
    labelled += [("impact", "Impact on uplifts"), ("recurrent", "Recurrent surplus/(deficit)")]
    labelled += [(line.key, line.name) for line in position.lines if not line.recurrent]
    labelled += [("total", "Total surplus/(deficit)"), ("movement", "Total movement in period")]
    for key, label in labelled:
        rows[key] = r
        _text(ws, r, 1, label, bold=key in ("opening", "recurrent", "total"))
        r += 1
    return rows


def _position_sheet(
    ws: Any, result: Result, position: Position, with_opening: bool
) -> dict[str, int]:
    """One position, years across, its positions and totals as formulas: returns the row of
    each line key and of each position row."""
    model = result.model
    years = model.years
    n = len(years)
    col = {year: 2 + i for i, year in enumerate(years)}
    last = get_column_letter(1 + n)
    total_col = 2 + n
    rows = _labels(ws, result, position, with_opening)
    non_recurrent = [line for line in position.lines if not line.recurrent]
    first_line = rows["opening"] + 1
    for i, row in enumerate(position.rows):
        c = get_column_letter(col[row.year])
        if i == 0:
            opening: Decimal | str = (
                f"=B{rows['opening'] - 2}+B{rows['opening'] - 1}"
                if with_opening
                else _pounds(row.opening)
            )
        else:
            opening = f"={get_column_letter(col[row.year] - 1)}{rows['recurrent']}"
        _put(ws, rows["opening"], col[row.year], opening, bold=True)
        for line in position.lines:
            _put(ws, rows[line.key], col[row.year], _pounds(row.amounts.get(line.key, 0)))
        _put(ws, rows["impact"], col[row.year], _pounds(row.impact))
        _put(
            ws,
            rows["recurrent"],
            col[row.year],
            f"={c}{rows['opening']}+SUM({c}{first_line}:{c}{rows['impact']})",
            bold=True,
        )
        nr = "".join(f"+{c}{rows[line.key]}" for line in non_recurrent)
        _put(ws, rows["total"], col[row.year], f"={c}{rows['recurrent']}{nr}", bold=True)
        _put(ws, rows["movement"], col[row.year], f"={c}{rows['total']}-{c}{rows['opening']}")
    t = get_column_letter(total_col)
    _put(ws, rows["opening"], total_col, f"=B{rows['opening']}", bold=True)
    for key in [line.key for line in position.lines] + ["impact"]:
        _put(ws, rows[key], total_col, f"=SUM(B{rows[key]}:{last}{rows[key]})")
    _put(ws, rows["recurrent"], total_col, f"={last}{rows['recurrent']}", bold=True)
    nr = "".join(f"+{t}{rows[line.key]}" for line in non_recurrent)
    _put(ws, rows["total"], total_col, f"={t}{rows['recurrent']}{nr}", bold=True)
    ws.column_dimensions["A"].width = 40
    for c in range(2, total_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    return rows


def _bridge_sheet(ws: Any, result: Result, dn: dict[str, int], pr: dict[str, int]) -> None:
    """Table 18: each step a formula over the two position sheets' period column."""
    n = len(result.model.years)
    t = get_column_letter(2 + n)
    dn_lines = [line for line in result.do_nothing.lines]
    pr_lines = [line for line in result.proposal.lines if line.stage == "proposal"]

    def refs(sheet: str, rows: dict[str, int], keys: list[str]) -> str:
        return "+".join(f"'{sheet}'!{t}{rows[k]}" for k in keys) or "0"

    _text(ws, 1, 1, "Step", bold=True)
    _text(ws, 1, 2, "£", bold=True)
    steps: list[tuple[str, str, bool]] = [
        ("Uplift assumptions on income and expenditure",
         "=" + refs("Do nothing", dn, [ln.key for ln in dn_lines if ln.kind in UPLIFTS]), False),
        ("Allocation increase",
         "=" + refs("Do nothing", dn, [ln.key for ln in dn_lines if ln.kind == "allocation"]), False),
        ("National ask", "=B2+B3", True),
    ]  # fmt: skip
    for line in dn_lines:
        if line.kind not in UPLIFTS and line.kind != "allocation":
            steps.append((line.name, "=" + refs("Do nothing", dn, [line.key]), False))
    steps.append(("Impact on uplifts (do nothing)", f"='Do nothing'!{t}{dn['impact']}", False))
    steps.append(
        (f"{year_label(result.model.first_year - 1)} underlying pressure",
         f"='Do nothing'!{t}{dn['opening']}", False)
    )  # fmt: skip
    subtotal_row = 2 + len(steps)
    steps.append(("Do nothing challenge", f"=SUM(B4:B{subtotal_row - 1})", True))
    first_proposal = 2 + len(steps)
    for line in pr_lines:
        steps.append((line.name, "=" + refs("Proposal", pr, [line.key]), False))
    steps.append(
        (
            "Impact on uplifts",
            f"='Proposal'!{t}{pr['impact']}-'Do nothing'!{t}{dn['impact']}",
            False,
        )
    )
    nr = [ln.key for ln in result.proposal.lines if not ln.recurrent]
    steps.append(
        ("Non-recurrent efficiency required", f"=MAX(0,-({refs('Proposal', pr, nr)}))", False)
    )
    last = 2 + len(steps)
    steps.append(
        ("Proposal challenge", f"=B{subtotal_row}+SUM(B{first_proposal}:B{last - 1})", True)
    )
    for i, (label, formula, bold) in enumerate(steps, start=2):
        _text(ws, i, 1, label, bold=bold)
        _put(ws, i, 2, formula, bold=bold)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 16


def workbook_bytes(title: str, result: Result) -> bytes:
    """The model's workbook: sheets "Do nothing", "Proposal" and "Bridge"."""
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = escape_text(title)[:250]
    dn_sheet = wb.active
    dn_sheet.title = "Do nothing"
    dn = _position_sheet(dn_sheet, result, result.do_nothing, with_opening=True)
    pr = _position_sheet(wb.create_sheet("Proposal"), result, result.proposal, with_opening=True)
    _bridge_sheet(wb.create_sheet("Bridge"), result, dn, pr)
    return stable_bytes(wb)
