"""The calculation on a model small enough to work out by hand (tests/finance/factory.py)."""

from __future__ import annotations

from placeplan.finance.domain.compute import compute
from placeplan.finance.domain.document import from_document
from tests.finance.factory import small_document

POUND = 100


def test_do_nothing_year_by_year() -> None:
    result = compute(from_document(small_document()))
    first, second = result.do_nothing.rows
    # Opening: -40 - 60 = -100. Year 1: -100 - 10 + 30 = -80 recurrent; -5 repayment: -85 total.
    assert (first.opening, first.recurrent, first.total) == (-100 * POUND, -80 * POUND, -85 * POUND)
    assert first.movement == 15 * POUND  # -85 - (-100)
    # Year 2 opens at -80: -80 - 20 + 30 = -70, nothing non-recurrent.
    assert (second.opening, second.recurrent, second.total) == (
        -80 * POUND,
        -70 * POUND,
        -70 * POUND,
    )
    assert second.movement == 10 * POUND
    # Over the period: closing recurrent -70 and the -5 repayment.
    assert result.do_nothing.total == -75 * POUND


def test_efficiency_and_its_impact_on_uplifts() -> None:
    result = compute(from_document(small_document()))
    first, second = result.proposal.rows
    # 10% of £200 = £20 in year 1; 10% of £300 = £30 in year 2.
    assert first.amounts["efficiency"] == 20 * POUND
    assert second.amounts["efficiency"] == 30 * POUND
    # Year 2's uplift no longer falls on the £20 removed in year 1: 5% of £20 = £1.
    assert (first.impact, second.impact) == (0, 1 * POUND)
    # Year 1: -80 + 20 = -60 recurrent, -65 total; year 2: -60 - 20 + 30 + 30 + 1 = -19.
    assert (first.recurrent, first.total) == (-60 * POUND, -65 * POUND)
    assert second.recurrent == -19 * POUND


def test_bridge_from_national_ask_to_proposal() -> None:
    result = compute(from_document(small_document()))
    steps = {step.label: step.amount for step in result.bridge}
    assert steps["Uplift assumptions on income and expenditure"] == -30 * POUND  # 10 + 20
    assert steps["Allocation increase"] == 60 * POUND
    assert steps["National ask"] == 30 * POUND
    assert steps["Deficit repayment"] == -5 * POUND
    assert steps["2023-24 underlying pressure"] == -100 * POUND
    assert steps["Do nothing challenge"] == -75 * POUND  # 30 - 5 - 100
    assert steps["10% efficiency"] == 50 * POUND
    assert steps["Impact on uplifts"] == 1 * POUND
    assert steps["Non-recurrent efficiency required"] == 5 * POUND
    # -75 + 50 + 1 + 5 = -19: the proposal's closing recurrent position.
    assert steps["Proposal challenge"] == -19 * POUND == result.proposal.recurrent_end
    subtotals = [step.label for step in result.bridge if step.subtotal]
    assert subtotals == ["National ask", "Do nothing challenge", "Proposal challenge"]


def test_rate_rounds_to_the_nearest_penny() -> None:
    document = small_document()
    document["cost_base"]["entries"][0]["amount"] = 1  # 10% of 100p = 10p exactly
    document["lines"][3]["entries"][0]["rate"] = "12.5"  # 12.5% of 100p = 12.5p: rounds to 13p
    result = compute(from_document(document))
    assert result.proposal.rows[0].amounts["efficiency"] == 13
