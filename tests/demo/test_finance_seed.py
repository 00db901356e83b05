"""The demo's financial model reproduces the LLR Five-Year Plan's Tables 17, 18 and 19 (seed
003, "Our proposed financial strategy"). Every figure below is the seed's, in £000 as it prints
them (brackets as minus signs); the model's cells are rounded to £000 the same way."""

from __future__ import annotations

import pytest
import yaml

from placeplan.demo.finance import DEMO_FILE
from placeplan.finance.domain.compute import Result, compute
from placeplan.finance.domain.document import from_document
from placeplan.finance.domain.tables import (
    bridge_table,
    challenge_table,
    strategy_table,
    thousands,
)

YEARS = ("2024-25", "2025-26", "2026-27", "2027-28")

# Table 17, "Modelling our system financial challenge": 24/25, 25/26, 26/27, 27/28, 5 Yr.
TABLE_17 = {
    "2023-24 plan": (-10_002, None, None, None, None),
    "Remove 2023-24 non-recurrent items": (-70_706, None, None, None, None),
    "Opening surplus/(deficit)": (-80_708, -120_865, -169_965, -197_311, -80_708),
    "Tariff inflation": (-36_798, -38_449, -40_591, -42_411, -158_249),
    "Tariff efficiency": (-7_848, -8_088, -8_334, -8_589, -32_859),
    "Growth": (-47_075, -49_325, -52_213, -54_704, -203_317),
    "Allocation increase": (51_563, 69_862, 73_793, 76_445, 271_664),
    "Elective Hub": (0, -23_100, 0, 0, -23_100),
    "Additional efficiency": (0, 0, 0, 0, 0),
    "Efficiency schemes": (0, 0, 0, 0, 0),
    "Recurrent surplus/(deficit)": (-120_865, -169_965, -197_311, -226_569, -226_569),
    "Deficit repayment": (-7_264, -7_264, -7_264, 0, -21_791),
    "Total surplus/(deficit)": (-128_129, -177_228, -204_574, -226_569, -248_360),
    "Total movement in period": (-47_421, -56_363, -34_610, -29_258, None),
}
# The seed's 5 Yr opening cell prints (197,311), the last year's opening: its column then does
# not add (-197,311 plus the column's lines is not its -226,569). The model's period column opens
# where the period opens, (80,708), and adds.
SEED_5_YEAR_OPENING = -197_311

# Table 18, "5 year financial strategy summary", System £000: exactly.
TABLE_18 = (
    ("Uplift assumptions on income and expenditure", -394_425),
    ("Allocation increase", 271_664),
    ("National ask", -122_761),
    ("Elective Hub", -23_100),
    ("Deficit repayment", -21_791),
    ("2023-24 underlying pressure", -80_708),
    ("Do nothing challenge", -248_360),
    ("Cost pressures", -40_000),
    ("Investments", -58_800),
    ("3% efficiency", 312_319),
    ("Impact on uplifts", 13_059),
    ("Non-recurrent efficiency required", 21_791),
    ("Proposal challenge", 10),
)

# Table 19, "Year-by-year financial strategy summary (£000)".
TABLE_19 = {
    "Recurrent cost pressures": (-10_000, -10_000, -10_000, -10_000),
    "Recurrent investment": (-14_700, -14_700, -14_700, -14_700),
    "3% efficiency": (75_603, 77_008, 79_127, 80_581),
    "Financial position": (-77_226, -71_947, -40_575, 10),
}


@pytest.fixture(scope="module")
def result() -> Result:
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return compute(from_document(document, period=(2023, 2027)))


def _printed(cells: tuple[int | None, ...]) -> tuple[int | None, ...]:
    return tuple(None if c is None else thousands(c) for c in cells)


def test_table_17_every_cell_within_1k(result: Result) -> None:
    table = challenge_table(result)
    assert table.columns == (*YEARS, "4 years")
    assert [row.label for row in table.rows] == list(TABLE_17)
    for label, seed in TABLE_17.items():
        for model_cell, seed_cell in zip(_printed(table.row(label).cells), seed, strict=True):
            if seed_cell is None:
                assert model_cell is None, label
            else:
                assert model_cell is not None and abs(model_cell - seed_cell) <= 1, label
    assert table.row("Opening surplus/(deficit)").cells[-1] != SEED_5_YEAR_OPENING * 100_000


def test_table_17_cells_print_as_the_seed_prints_them(result: Result) -> None:
    # Stricter than the issue asks: with the demo's sub-£1k fractions (its source notes) every
    # printed cell is the seed's own figure.
    table = challenge_table(result)
    for label, seed in TABLE_17.items():
        assert _printed(table.row(label).cells) == seed, label


def test_table_18_bridge_exactly(result: Result) -> None:
    table = bridge_table(result)
    assert [(row.label, thousands(row.cells[0] or 0)) for row in table.rows] == list(TABLE_18)


def test_table_19_within_1k_with_efficiency_and_impact_derived(result: Result) -> None:
    table = strategy_table(result)
    for label, seed in TABLE_19.items():
        for model_cell, seed_cell in zip(_printed(table.row(label).cells), seed, strict=True):
            assert model_cell is not None and abs(model_cell - seed_cell) <= 1, label
    # The efficiency is 3% of a cost base and the impact a rate on cost removed: neither is
    # typed into the demo as an amount.
    line = result.model.line("three-percent-efficiency")
    assert all(e.amount is None and e.rate is not None for e in line.entries)
    assert thousands(result.proposal.impact) == 13_059


def test_the_loaded_demo_holds_the_same_model(sessions) -> None:
    from placeplan.core.actor import operator
    from placeplan.demo.finance import DEMO_PLAN_KEY
    from placeplan.demo.loader import load_demo
    from placeplan.finance import service
    from placeplan.plans.models import Plan

    load_demo(sessions)
    with sessions() as session:
        plan = session.query(Plan).filter_by(key=DEMO_PLAN_KEY).one()
        stored = service.computed(service.plan_model(session, operator(), plan.id))
    table = bridge_table(stored.result)
    assert [(row.label, thousands(row.cells[0] or 0)) for row in table.rows] == list(TABLE_18)
    # Pledge 10's measure follows Leicester's path in the mental health allocation: its yearly
    # targets are that path, five years from 2023-24.
    from placeplan.pledges.service.stored import read_pledge

    with sessions() as session:
        (allocation,) = service.plan_allocations(session, operator(), plan.id)
        seen = service.get_allocation(session, operator(), allocation.id)
        leicester = next(r for r in seen.areas if r.name == "Leicester")
        (view,) = read_pledge(session, operator(), plan.id, "10").views
        path = next(m.path for m in view.measures if m.measure.ref == "10.1")
    assert path.area == "Leicester" and path.illustrative
    assert [year for year, _ in path.targets] == [
        "2023-24", "2024-25", "2025-26", "2026-27", "2027-28",
    ]  # fmt: skip
    assert tuple(pence for _, pence in path.targets) == leicester.path
