"""Delivery reporting periods: a quarter of a financial year (`2025-26 Q2`, July to September
2025) or a calendar month (`2025-09`), each with its first and last day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from placeplan.core.errors import InputError
from placeplan.core.periods.financial import FinancialYear, parse_period

_QUARTER = re.compile(r"^(\d{4}\s*[-/]\s*\d{2})\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class QuarterOrMonth:
    label: str  # canonical: `2025-26 Q2` or `2025-09`
    first_day: date
    last_day: date

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.last_day, self.first_day)


def parse_quarter_or_month(text: str, field: str = "period") -> QuarterOrMonth:
    """`2025-26 Q2` (a `/` and any case accepted; labelled canonically) or `2025-09`."""
    cleaned = " ".join(str(text or "").split())
    if match := _QUARTER.match(cleaned):
        year: FinancialYear = parse_period(match[1], field=field).first
        quarter = int(match[2])
        first_month = 4 + 3 * (quarter - 1)  # April, July, October, January
        calendar_year = year.start_year + (1 if first_month > 12 else 0)
        first_month = (first_month - 1) % 12 + 1
        last_month = first_month + 2
        last = date(calendar_year, last_month, calendar.monthrange(calendar_year, last_month)[1])
        return QuarterOrMonth(f"{year.label} Q{quarter}", date(calendar_year, first_month, 1), last)
    if match := _MONTH.match(cleaned):
        year_n, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1990 <= year_n <= 2100:
            last = date(year_n, month, calendar.monthrange(year_n, month)[1])
            return QuarterOrMonth(f"{year_n}-{month:02d}", date(year_n, month, 1), last)
    raise InputError(
        f"'{text}' is not a reporting period: expected a quarter such as 2025-26 Q2"
        " or a month such as 2025-09",
        field=field,
    )
