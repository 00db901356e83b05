"""The period a published figure is for, with its first and last day: financial years `2023-24`,
quarters `2023-24 Q2`, months `2023-07`, calendar years `2021` and spans of calendar years
`2018 to 2020` (life expectancy is published for three-year spans). A figure is taken to be known
at the end of its period. Pledges' baselines, targets and latest figures are written this way.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from placeplan.core.errors import InputError

_FY = re.compile(r"^(\d{4})-(\d{2})$")
_FY_QUARTER = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4}) to (\d{4})$")


@dataclass(frozen=True)
class Span:
    """A period a figure is for, as written, with its first and last day."""

    label: str
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_span(text: str | None, field: str = "period") -> Span:
    """`YYYY-YY` is a financial year when YY follows YYYY, else a month."""
    cleaned = " ".join(str(text or "").split())
    if match := _FY_QUARTER.match(cleaned):
        start, end, quarter = int(match[1]), int(match[2]), int(match[3])
        if end != (start + 1) % 100:
            raise InputError(f"'{text}': {end:02d} does not follow {start}", field=field)
        first_month = 4 + 3 * (quarter - 1)
        year = start + (1 if first_month > 12 else 0)
        first_month = (first_month - 1) % 12 + 1
        return Span(cleaned, date(year, first_month, 1), _month_end(year, first_month + 2))
    if (match := _FY.match(cleaned)) and int(match[2]) == (int(match[1]) + 1) % 100:
        start = int(match[1])
        return Span(cleaned, date(start, 4, 1), date(start + 1, 3, 31))
    if (match := _MONTH.match(cleaned)) and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
        return Span(cleaned, date(year, month, 1), _month_end(year, month))
    if match := _YEAR.match(cleaned):
        year = int(match[1])
        return Span(cleaned, date(year, 1, 1), date(year, 12, 31))
    if (match := _YEARS.match(cleaned)) and int(match[1]) <= int(match[2]):
        return Span(cleaned, date(int(match[1]), 1, 1), date(int(match[2]), 12, 31))
    raise InputError(
        f"'{text}' is not a period: expected a financial year (2023-24), a quarter (2023-24 Q2),"
        " a month (2023-07), a year (2021) or years (2018 to 2020)",
        field=field,
    )
