"""A model's allocation change as a percentage uplift (what the BCF's NHS minimum can take):
worked by hand on the small model of tests/finance/factory.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.finance.domain.document import from_document
from placeplan.finance.domain.uplift import allocation_uplift
from tests.finance.factory import one_year_document, small_document


def test_the_allocation_change_over_the_cost_base() -> None:
    model = from_document(small_document())
    # An allocation increase of £30 each year on a cost base of £200, then £300: 15% and 10%.
    first, second = allocation_uplift(model, 2024), allocation_uplift(model, 2025)
    assert (first.percent, first.allocation_change, first.cost_base) == (
        Decimal("15.000"),
        30_00,
        200_00,
    )
    assert second.percent == Decimal("10.000")
    assert second.explained() == (
        "Allocation increase in 2025-26: £30 on a cost base of £300 is 10.000%"
    )


def test_a_rate_on_the_cost_base_is_its_own_uplift() -> None:
    document = small_document()
    document["lines"][1]["entries"] = [
        {"year": "2024-25", "rate": "2.5", "base": "cost_base"},
        {"year": "2025-26", "amount": 30},
    ]
    # 2.5% of £200 is £5.00, which over £200 is 2.5% again.
    assert allocation_uplift(from_document(document), 2024).percent == Decimal("2.500")


@pytest.mark.parametrize(
    ("document", "year", "words"),
    [
        (small_document(), 2026, "no allocation for 2026-27"),
        (one_year_document("2025-26"), 2025, "no allocation change in 2025-26"),
        (small_document(cost_base={"source": "", "entries": []}), 2025, "no cost base"),
    ],
)
def test_no_uplift_without_a_year_an_allocation_or_a_cost_base(document, year, words) -> None:
    with pytest.raises(InputError) as caught:
        allocation_uplift(from_document(document), year)
    assert caught.value.field == "model" and words in caught.value.message
