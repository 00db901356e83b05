"""What a budget's editable fields accept: an expenditure line's amount, new investment, NHS
share and planned outputs, a scheme's name, and income. The line editor (page and API), the
planning workbook's reader and the funding rules all check through these. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from placeplan.core.fields import MAX_NAME, Field, Limits, Rule, percentage
from placeplan.core.money import format_pence

AMOUNT = Field("amount_pence", "amount", "money")
NEW = Field("new_pence", "new investment", "money")
INCOME = Field("amount_pence", "income amount", "money")


def _new_within_amount(values: Mapping[str, Any]) -> str | None:
    new, amount = int(values["new_pence"]), int(values["amount_pence"])
    if new <= amount:
        return None
    return (
        f"The new investment must be no more than the line's amount, {format_pence(amount)} "
        f"(it is {format_pence(new)})"
    )


NEW_WITHIN_AMOUNT = Rule("new_pence", ("new_pence", "amount_pence"), _new_within_amount)

LINE = Limits(
    (
        AMOUNT,
        NEW,
        percentage("nhs_share", "NHS share"),
        Field("planned_outputs", "planned outputs", "number", low=0, high=1_000_000_000),
        Field("provider", "provider", max_length=30),
        Field("note", "note", max_length=10_000),
        Field("output_unit", "unit of the planned outputs", max_length=60),
    ),
    (NEW_WITHIN_AMOUNT,),
)

SCHEME = Limits((Field("name", "scheme's name", max_length=MAX_NAME),))
