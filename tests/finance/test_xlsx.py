"""The model's workbook: its totals are formulas, and those formulas, worked out, give the
model's own figures (the LLR demo: seed 003's Tables 17 and 18)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import yaml
from openpyxl import load_workbook

from placeplan.demo.finance import DEMO_FILE
from placeplan.finance.domain.compute import compute
from placeplan.finance.domain.document import from_document
from placeplan.finance.io.xlsx import workbook_bytes

CELL = re.compile(r"(?:'([^']+)'!)?\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?")


class Sheets:
    """Works out the few formulas the workbook uses: + - references, SUM over a row, MAX."""

    def __init__(self, content: bytes) -> None:
        self.book = load_workbook(io.BytesIO(content))

    def value(self, sheet: str, ref: str) -> Decimal:
        raw: Any = self.book[sheet][ref].value
        if raw is None:
            return Decimal(0)
        if isinstance(raw, str) and raw.startswith("="):
            return self._formula(sheet, raw[1:])
        return Decimal(str(raw))

    def _formula(self, sheet: str, text: str) -> Decimal:
        def cells(m: re.Match[str]) -> str:
            where = m[1] or sheet
            if m[4] is None:
                return f"({self.value(where, m[2] + m[3])})"
            col = self.book[where][f"{m[2]}{m[3]}:{m[4]}{m[5]}"]
            total = sum((self.value(where, c.coordinate) for row in col for c in row), Decimal(0))
            return f"({total})"

        expression = CELL.sub(cells, text).replace("SUM", "").replace("MAX", "max")
        return Decimal(str(eval(expression, {"max": max, "Decimal": Decimal})))  # noqa: S307


def _demo() -> Any:
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return compute(from_document(document))


def test_totals_are_formulas_that_give_the_models_figures() -> None:
    result = _demo()
    sheets = Sheets(workbook_bytes("Medium-term financial plan", result))
    dn = sheets.book["Do nothing"]
    labels = {dn.cell(row=r, column=1).value: r for r in range(1, dn.max_row + 1)}
    recurrent = labels["Recurrent surplus/(deficit)"]
    assert str(dn.cell(row=recurrent, column=3).value).startswith("=")
    for i, row in enumerate(result.do_nothing.rows):
        col = "BCDE"[i]
        assert round(sheets.value("Do nothing", f"{col}{recurrent}") * 100) == row.recurrent
        total = sheets.value("Do nothing", f"{col}{labels['Total surplus/(deficit)']}")
        assert round(total * 100) == row.total
    # The period column: seed 003 Table 17's 5 Yr total, (248,360) thousand.
    period = sheets.value("Do nothing", f"F{labels['Total surplus/(deficit)']}")
    assert round(period / 1000) == -248_360
    bridge = sheets.book["Bridge"]
    steps = {bridge.cell(row=r, column=1).value: r for r in range(2, bridge.max_row + 1)}
    # Seed 003 Table 18: the national ask (122,761), do nothing (248,360), proposal 10 (£000).
    assert round(sheets.value("Bridge", f"B{steps['National ask']}") / 1000) == -122_761
    assert round(sheets.value("Bridge", f"B{steps['Do nothing challenge']}") / 1000) == -248_360
    assert round(sheets.value("Bridge", f"B{steps['Proposal challenge']}") / 1000) == 10
    # A workbook holds numbers as binary floating point: equal to the penny.
    proposal = sheets.value("Bridge", f"B{steps['Proposal challenge']}")
    assert round(proposal * 100) == result.proposal_challenge


def test_the_same_model_gives_the_same_bytes() -> None:
    result = _demo()
    assert workbook_bytes("M", result) == workbook_bytes("M", result)


def test_the_allocation_workbook_shares_and_totals_are_formulas() -> None:
    from placeplan.finance.domain.allocation import allocate
    from placeplan.finance.domain.allocation_document import from_document as allocation_of
    from placeplan.finance.io.allocation_xlsx import allocation_bytes
    from tests.finance.factory import two_areas

    allocation = allocation_of(two_areas())
    sheets = Sheets(allocation_bytes("Shares", allocation, allocate(allocation)))
    # tests/finance/test_allocation.py: shares 75% and 25%; each year's path adds to £100.
    assert sheets.value("Areas", "E2") == Decimal("0.75")
    assert sheets.value("Areas", "E3") == Decimal("0.25")
    assert [sheets.value("Glide path", f"{c}4") for c in "BCD"] == [Decimal(100)] * 3
