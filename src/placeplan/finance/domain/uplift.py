"""A model's allocation change in one year as a percentage uplift: what the BCF's NHS minimum
contribution can be uplifted by when a system takes it from its own financial plan. Pure.

The uplift is the year's allocation change (every allocation line, an amount as entered or a rate
on the year's cost base) over the year's cost base, per cent, to three decimal places (halves
away from zero), as the national uplift is stated."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from placeplan.core.errors import InputError
from placeplan.core.money import format_pence
from placeplan.finance.domain.compute import line_amount
from placeplan.finance.domain.model import FinancialModel, year_label

PLACES = Decimal("0.001")


@dataclass(frozen=True)
class Uplift:
    year: int
    percent: Decimal
    allocation_change: int  # pence
    cost_base: int  # pence
    lines: tuple[str, ...]  # the allocation lines' names

    def explained(self) -> str:
        """How the figure was worked out, in the record's words."""
        return (
            f"{' and '.join(self.lines)} in {year_label(self.year)}: "
            f"{format_pence(self.allocation_change, whole_pounds=True)} on a cost base of "
            f"{format_pence(self.cost_base, whole_pounds=True)} is {self.percent}%"
        )


def allocation_uplift(model: FinancialModel, year: int, field: str = "model") -> Uplift:
    """The model's allocation uplift in `year`; InputError naming `field` when the year is
    outside the model, or the model has no allocation line or no cost base that year."""
    if year not in model.years:
        span = f"{year_label(model.first_year)} to {year_label(model.last_year)}"
        raise InputError(
            f"The model runs from {span}: it has no allocation for {year_label(year)}",
            field=field,
        )
    lines = [line for line in model.lines if line.kind == "allocation" and line.entry(year)]
    if not lines:
        raise InputError(f"The model has no allocation change in {year_label(year)}", field=field)
    base = model.cost_base.entry(year)
    if base is None or not base.amount:
        raise InputError(
            f"The model has no cost base for {year_label(year)}, so its allocation change "
            "cannot be put as a percentage",
            field=field,
        )
    change = sum(line_amount(model, line, year) for line in lines)
    percent = (Decimal(change) * 100 / base.amount).quantize(PLACES, rounding=ROUND_HALF_UP)
    return Uplift(year, percent, change, base.amount, tuple(line.name for line in lines))
