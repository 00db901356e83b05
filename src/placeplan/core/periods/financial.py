"""Financial years and ranges of them, as written in plans: `2025-26`, `2023-24 to 2027-28`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from placeplan.core.errors import InputError

_YEAR = r"(\d{4})\s*[-/]\s*(\d{2})"
_SINGLE = re.compile(rf"^{_YEAR}$")
_RANGE = re.compile(rf"^{_YEAR}\s+(?:to|-|–)\s+{_YEAR}$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The English public-sector year from 1 April `start_year` to 31 March the next year."""

    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Period:
    """One financial year or an inclusive run of them."""

    first: FinancialYear
    last: FinancialYear

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label} to {self.last.label}"

    @property
    def years(self) -> list[FinancialYear]:
        return [FinancialYear(y) for y in range(self.first.start_year, self.last.start_year + 1)]

    def __str__(self) -> str:
        return self.label


def _year(start: str, end: str, text: str, field: str) -> FinancialYear:
    start_year = int(start)
    if (start_year + 1) % 100 != int(end):
        raise InputError(
            f"'{text}' is not a financial year: {end} does not follow {start}"
            " (expected e.g. 2025-26)",
            field=field,
        )
    if not 1990 <= start_year <= 2100:
        raise InputError(f"'{text}': year {start_year} is out of range 1990-2100", field=field)
    return FinancialYear(start_year)


def parse_period(text: str, field: str = "period") -> Period:
    """Parse `2025-26` or `2023-24 to 2027-28` (a `/` is accepted for the `-` inside a year)."""
    cleaned = " ".join(str(text).split())
    if match := _SINGLE.match(cleaned):
        year = _year(match[1], match[2], cleaned, field)
        return Period(year, year)
    if match := _RANGE.match(cleaned):
        first = _year(match[1], match[2], cleaned, field)
        last = _year(match[3], match[4], cleaned, field)
        if last < first:
            raise InputError(f"'{cleaned}': the range ends before it starts", field=field)
        return Period(first, last)
    raise InputError(
        f"'{text}' is not a period: expected a financial year such as 2025-26"
        " or a range such as 2023-24 to 2027-28",
        field=field,
    )
