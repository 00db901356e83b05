"""Actual spend against a budget's expenditure lines, by quarter of the plan's financial year:
what each line has spent in each quarter, the outturn forecast for the year at that quarter, and
the variance against the planned profile. Pure.

The planned profile: a line's annual amount spread evenly over the four quarters. Each quarter's
planned spend to date is amount x quarter / 4, rounded down to the penny, so the fourth quarter's
is the whole amount and the four quarters add up to it exactly. No other profile is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from placeplan.core.errors import InputError
from placeplan.core.fields import Field, Limits
from placeplan.core.money import format_pence
from placeplan.core.periods import FinancialYear, parse_period

PROFILE_RULE = (
    "The planned profile is each line's annual amount spread evenly over the four quarters"
    " (a quarter's planned spend to date is the amount x quarter / 4, to the penny)."
)

ACTUAL = Field("actual_pence", "actual spend", "money")
FORECAST = Field("forecast_pence", "forecast outturn", "money")
COMMENTARY = Field("commentary", "commentary", max_length=10_000)
SPEND = Limits((ACTUAL, FORECAST, COMMENTARY))

_QUARTER = re.compile(r"^(\d{4}\s*[-/]\s*\d{2})\s*[- ]?\s*Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of a financial year: `2025-26 Q3` is October to December 2025."""

    start_year: int
    number: int

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def label(self) -> str:
        return f"{self.year.label} Q{self.number}"

    @property
    def slug(self) -> str:
        """As an address or a command writes it: `2025-26-Q3`."""
        return f"{self.year.label}-Q{self.number}"

    def earlier(self) -> list[Quarter]:
        """This year's quarters up to and including this one."""
        return [Quarter(self.start_year, n) for n in range(1, self.number + 1)]

    def __str__(self) -> str:
        return self.label


def parse_quarter(text: str, field: str = "quarter", row: int | None = None) -> Quarter:
    """`2025-26 Q3`, `2025-26-Q3` or `2025/26 q3`."""
    cleaned = " ".join(str(text or "").split())
    match = _QUARTER.match(cleaned)
    if match is None:
        raise InputError(
            f"'{text}' is not a quarter: expected a quarter of a financial year such as 2025-26 Q3",
            field=field,
            row=row,
        )
    year = parse_period(match[1].replace(" ", ""), field=field).first
    return Quarter(year.start_year, int(match[2]))


def planned_to_date(amount_pence: int, quarter: int) -> int:
    """The planned spend of a line to the end of `quarter` (1 to 4): the even profile."""
    return amount_pence * quarter // 4


def planned_in(amount_pence: int, quarter: int) -> int:
    """The planned spend of a line in `quarter` alone."""
    return planned_to_date(amount_pence, quarter) - planned_to_date(amount_pence, quarter - 1)


@dataclass(frozen=True)
class QuarterSpend:
    """One line's spend recorded for one quarter."""

    quarter: Quarter
    actual_pence: int
    forecast_pence: int | None = None  # the year's outturn as forecast at this quarter
    commentary: str | None = None


@dataclass(frozen=True)
class LinePosition:
    """A line at a quarter: planned and actual to date, the forecast outturn and the variances
    (actual minus plan: a positive variance is spend above the plan)."""

    ref: str
    amount_pence: int
    planned_pence: int
    actual_pence: int
    forecast_pence: int
    recorded: int  # how many of the year's quarters to date have spend recorded
    commentary: str | None

    @property
    def variance_pence(self) -> int:
        return self.actual_pence - self.planned_pence

    @property
    def forecast_variance_pence(self) -> int:
        return self.forecast_pence - self.amount_pence


def position(
    ref: str, amount_pence: int, spends: Iterable[QuarterSpend], quarter: Quarter
) -> LinePosition:
    """Line `ref` at the end of `quarter`: spend of the year's quarters to date summed; the
    forecast is the latest one given to date, else the annual amount (no forecast says the line
    spends to plan)."""
    to_date = sorted(
        (s for s in spends if s.quarter.start_year == quarter.start_year and s.quarter <= quarter),
        key=lambda s: s.quarter,
    )
    forecasts = [s.forecast_pence for s in to_date if s.forecast_pence is not None]
    comments = [s.commentary for s in to_date if s.commentary]
    return LinePosition(
        ref=ref,
        amount_pence=amount_pence,
        planned_pence=planned_to_date(amount_pence, quarter.number),
        actual_pence=sum(s.actual_pence for s in to_date),
        forecast_pence=forecasts[-1] if forecasts else amount_pence,
        recorded=len(to_date),
        commentary=comments[-1] if comments else None,
    )


@dataclass(frozen=True)
class Totals:
    """Lines' positions summed: plan for the year, planned and actual to date, forecast."""

    amount_pence: int = 0
    planned_pence: int = 0
    actual_pence: int = 0
    forecast_pence: int = 0

    @property
    def variance_pence(self) -> int:
        return self.actual_pence - self.planned_pence

    @property
    def forecast_variance_pence(self) -> int:
        return self.forecast_pence - self.amount_pence


def totals(positions: Iterable[LinePosition]) -> Totals:
    found = list(positions)
    return Totals(
        sum(p.amount_pence for p in found),
        sum(p.planned_pence for p in found),
        sum(p.actual_pence for p in found),
        sum(p.forecast_pence for p in found),
    )


def grouped(positions: Iterable[LinePosition], key: Mapping[str, str]) -> dict[str, Totals]:
    """Positions summed by `key[line ref]` (a category, a funding source), in first-seen order."""
    groups: dict[str, list[LinePosition]] = {}
    for p in positions:
        groups.setdefault(key[p.ref], []).append(p)
    return {name: totals(members) for name, members in groups.items()}


# ---- a ledger extract's rows, checked before anything is written


@dataclass(frozen=True)
class LedgerRow:
    """One row of a ledger extract, as read: amounts in pence (None when the cell is blank)."""

    row: int
    line_ref: str
    quarter: str
    actual_pence: int | None
    forecast_pence: int | None
    commentary: str | None


@dataclass(frozen=True)
class CheckedRow:
    """A ledger row that matched a line and a quarter, its amounts checked."""

    row: int
    line_ref: str
    quarter: Quarter
    actual_pence: int
    forecast_pence: int | None
    commentary: str | None


def check_ledger(
    rows: Sequence[LedgerRow], line_refs: Mapping[str, int], year: FinancialYear, file: str
) -> tuple[list[CheckedRow], list[InputError]]:
    """Each row matched to a line of the budget (`line_refs`: ref -> annual amount) and a quarter
    of the plan's year; every problem named by its row: a line the budget does not have, a
    quarter outside the year, a negative amount (the wrong sign: spend is positive), an amount
    past the line's whole year ten times over (the wrong unit, such as pence for pounds), a row
    given twice."""
    problems: list[InputError] = []
    good: list[CheckedRow] = []
    seen: set[tuple[str, Quarter]] = set()
    for r in rows:
        try:
            if r.line_ref not in line_refs:
                raise InputError(
                    f"'{r.line_ref}' matches no expenditure line of this budget", field="line"
                )
            quarter = parse_quarter(r.quarter, field="quarter")
            if quarter.start_year != year.start_year:
                raise InputError(
                    f"{quarter.label} is not a quarter of the plan's year, {year.label}",
                    field="quarter",
                )
            if r.actual_pence is None:
                raise InputError("The actual spend is missing", field="actual_pence")
            for f, value in ((ACTUAL, r.actual_pence), (FORECAST, r.forecast_pence)):
                check_amount(f, value, line_refs[r.line_ref])
            SPEND.check({"commentary": r.commentary})
            if (r.line_ref, quarter) in seen:
                raise InputError(f"line {r.line_ref}, {quarter.label} is given twice", field="line")
            seen.add((r.line_ref, quarter))
            good.append(
                CheckedRow(
                    r.row, r.line_ref, quarter, r.actual_pence, r.forecast_pence, r.commentary
                )
            )
        except InputError as exc:
            exc.file, exc.row = file, r.row
            problems.append(exc)
    return good, problems


def check_amount(f: Field, pence: int | None, annual_pence: int) -> None:
    """The one check of an amount of spend, whether typed on a page, sent to the API or read
    from a ledger extract: positive, in pounds (not ten times the line's year), within bounds."""
    if pence is None:
        return
    if pence < 0:
        raise InputError(
            f"The {f.label} is negative ({format_pence(pence)}): spend is given as a positive"
            " amount in pounds",
            field=f.name,
        )
    if annual_pence > 0 and pence > 10 * annual_pence:
        raise InputError(
            f"The {f.label} ({format_pence(pence)}) is more than ten times the line's amount for"
            f" the year ({format_pence(annual_pence)}): amounts are in pounds, not pence or"
            " thousands",
            field=f.name,
        )
    f.check(pence)
