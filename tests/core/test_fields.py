"""core.fields: one wording for what a field accepts. Every expected message is written out by
hand from the value given."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.core.fields import (
    MAX_MONEY_PENCE,
    Field,
    Limits,
    Rule,
    Window,
    is_percentage,
    percentage,
    plan_window,
)

TITLE = Field("title", "plan's title", max_length=300)
AMOUNT = Field("amount_pence", "amount", "money")
SHARE = percentage("share", "share")


def test_text_is_held_to_its_length_and_says_both_lengths():
    assert TITLE.problem("T" * 300) is None
    assert TITLE.problem("T" * 7_600) == (
        "The plan's title must be 300 characters or fewer (it is 7,600)"
    )
    assert TITLE.problem(None) is None and TITLE.problem("  ") is None  # empty: the record's rule


def test_money_runs_from_nothing_to_1bn_and_is_shown_in_pounds():
    assert AMOUNT.problem(0) is None and AMOUNT.problem(MAX_MONEY_PENCE) is None
    # -50,000 pence is -£500.00; £1bn and a penny is 100,000,000,001 pence.
    assert AMOUNT.problem(-50_000) == "The amount must be from £0 to £1bn (it is -£500.00)"
    assert AMOUNT.problem(MAX_MONEY_PENCE + 1) == (
        "The amount must be from £0 to £1bn (it is £1,000,000,000.01)"
    )


def test_a_percentage_runs_from_0_to_100():
    assert SHARE.problem("0") is None and SHARE.problem(Decimal("100")) is None
    assert SHARE.problem("150") == "The share is a percentage: it must be from 0 to 100 (it is 150)"
    assert SHARE.problem(-3) == "The share is a percentage: it must be from 0 to 100 (it is -3)"
    assert SHARE.problem("100.5") == (
        "The share is a percentage: it must be from 0 to 100 (it is 100.5)"
    )
    assert SHARE.problem("lots") == "The share must be a number (it is 'lots')"


def test_a_number_with_one_bound_says_which():
    count = Field("numerator", "numerator", "number", low=0)
    assert count.problem("-1") == "The numerator must be 0 or more (it is -1)"
    assert count.problem("1e9") is None


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("percentage", True), ("percentage who would recommend", True), ("% of people", True),
     ("per cent", True), ("people", False), ("per 100,000", False), (None, False)],
)  # fmt: skip
def test_a_unit_says_per_cent(unit, expected):
    assert is_percentage(unit) is expected


def test_check_names_the_field_and_where_it_was_found():
    with pytest.raises(InputError) as refused:
        TITLE.check("T" * 301, file="b.xlsx", sheet="Cover", row=4, field="Plan title")
    assert (refused.value.field, refused.value.file, refused.value.sheet, refused.value.row) == (
        "Plan title",
        "b.xlsx",
        "Cover",
        4,
    )
    assert TITLE.check("Short") == "Short"


def _new_within(values):
    return "too much" if values["new"] > values["amount"] else None


LINE = Limits(
    (Field("amount", "amount", "money"), Field("new", "new", "money")),
    (Rule("new", ("new", "amount"), _new_within),),
)


def test_limits_check_fields_first_then_rules_over_the_whole_record():
    assert LINE.problems({"amount": 100, "new": 100}) == []
    assert LINE.problems({"amount": 100, "new": 200}) == [("new", "too much")]
    # A refused field is named alone: the rule would read a value already refused.
    assert [name for name, _ in LINE.problems({"amount": -1, "new": 200})] == ["amount"]
    assert LINE.problems({"new": 200}) == []  # the rule needs both
    with pytest.raises(InputError) as refused:
        LINE.check({"amount": 100, "new": 200})
    assert (refused.value.field, refused.value.message) == ("new", "too much")
    assert "amount" in LINE and "other" not in LINE and LINE["new"].label == "new"


def test_a_window_holds_the_periods_within_it():
    plan = Window(date(2023, 4, 1), date(2028, 3, 31), "2023-24 to 2027-28")
    assert plan.problem("2027-28 Q4", date(2028, 1, 1), date(2028, 3, 31), "period") is None
    assert plan.problem("2030-01", date(2030, 1, 1), date(2030, 1, 31), "period") == (
        "The period must fall within the plan's period, 2023-24 to 2027-28 (it is 2030-01)"
    )


def test_a_plans_window_runs_from_its_first_april_to_its_last_march():
    # 2025-26 to 2026-27: 1 April 2025 to 31 March 2027.
    window = plan_window(2025, 2026)
    assert (window.first, window.last, window.label) == (
        date(2025, 4, 1),
        date(2027, 3, 31),
        "2025-26 to 2026-27",
    )
    assert window.day_problem(date(2027, 3, 31), "due date") is None
    assert window.day_problem(None, "due date") is None
    assert window.day_problem(date(2030, 3, 31), "due date") == (
        "The due date must fall within the plan's period, 2025-26 to 2026-27 (it is 2030-03-31)"
    )
