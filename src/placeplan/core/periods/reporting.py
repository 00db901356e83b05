"""Reporting periods of measures as DESIGN.md writes them: months `2025-07`, quarters `2025-26 Q3`,
financial years `2025-26`. Each parses to a kind, a sort key (months since year 0) and its first
month."""

from __future__ import annotations

import re
from dataclasses import dataclass

from placeplan.core.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    sort_key: int  # months since year 0 of the period's first month
    kind: str  # month | quarter | year
    label: str

    @property
    def calendar_year(self) -> int:
        return self.sort_key // 12

    @property
    def last_month(self) -> int:
        """Months since year 0 of the period's last month."""
        return self.sort_key + {"quarter": 2, "year": 11}.get(self.kind, 0)


def _financial_year(start: str, end: str, text: str, field: str) -> int:
    year = int(start)
    if (year + 1) % 100 != int(end):
        raise InputError(f"'{text}': {end} does not follow {start}", field=field)
    return year


def parse_reporting_period(
    text: str, field: str = "period", row: int | None = None
) -> ReportingPeriod:
    cleaned = " ".join(str(text).split())
    try:
        if (
            (match := _MONTH.match(cleaned))
            and 1 <= int(match[2]) <= 12
            and int(match[2]) != (int(match[1]) + 1) % 100
        ):
            return ReportingPeriod(int(match[1]) * 12 + int(match[2]) - 1, "month", cleaned)
        if match := _QUARTER.match(cleaned):
            year = _financial_year(match[1], match[2], cleaned, field)
            first_month = 3 + (int(match[3]) - 1) * 3  # Q1 starts in April (index 3)
            return ReportingPeriod(year * 12 + first_month, "quarter", cleaned)
        if match := _YEAR.match(cleaned):
            year = _financial_year(match[1], match[2], cleaned, field)
            return ReportingPeriod(year * 12 + 3, "year", cleaned)
    except InputError as exc:
        exc.row = row
        raise
    raise InputError(
        f"'{text}' is not a period: expected a month (2025-07), a quarter (2025-26 Q3) or a"
        " financial year (2025-26)",
        field=field,
        row=row,
    )
