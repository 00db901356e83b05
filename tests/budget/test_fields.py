"""budget.domain.fields: what a line's fields accept, and the funding rules reading the same
words. Pence by hand: £1,600,000 is 160,000,000 pence, £2,000,000 is 200,000,000."""

from __future__ import annotations

from placeplan.budget.domain import fields


def test_new_investment_is_no_more_than_the_amount():
    assert fields.LINE.problems({"amount_pence": 160_000_000, "new_pence": 160_000_000}) == []
    assert fields.LINE.problems({"amount_pence": 160_000_000, "new_pence": 200_000_000}) == [
        (
            "new_pence",
            "The new investment must be no more than the line's amount, £1,600,000.00 "
            "(it is £2,000,000.00)",
        )
    ]


def test_amounts_are_money_and_the_nhs_share_a_percentage():
    assert fields.LINE.problems({"amount_pence": -1}) == [
        ("amount_pence", "The amount must be from £0 to £1bn (it is -£0.01)")
    ]
    assert fields.LINE.problems({"nhs_share": "101"}) == [
        ("nhs_share", "The NHS share is a percentage: it must be from 0 to 100 (it is 101)")
    ]
