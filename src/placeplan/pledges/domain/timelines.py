"""The financial years an intervention's timeline spans, as the plan writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from placeplan.core.errors import InputError
from placeplan.core.periods import FinancialYear

_FY_SHORT = r"(\d{2})/(\d{2})"
_TL_ONE = re.compile(rf"^{_FY_SHORT}$")
_TL_SPAN = re.compile(rf"^{_FY_SHORT}\s*(?:to|&|-|–)\s*{_FY_SHORT}$")
_TL_FROM = re.compile(rf"^(?:from\s+{_FY_SHORT}|{_FY_SHORT}\s+onwards)$", re.IGNORECASE)


@dataclass(frozen=True)
class Timeline:
    """The financial years an intervention spans, by the calendar year each starts in;
    `end_year` None with `open_ended` for "onwards" and "from"."""

    start_year: int | None
    end_year: int | None
    open_ended: bool = False

    def covers(self, year: int, last_year: int) -> bool:
        if self.start_year is None:
            return False
        end = last_year if self.open_ended else (self.end_year or self.start_year)
        return self.start_year <= year <= end


def _short_year(first: str, second: str, text: str, field: str) -> int:
    start, end = int(first), int(second)
    if end != (start + 1) % 100:
        raise InputError(f"'{text}': {second} does not follow {first}", field=field)
    return 2000 + start


def parse_timeline(text: str | None, field: str = "timeline") -> Timeline:
    """Timelines as the plan writes them: `23/24`, `23/24 & 24/25`, `23/24 to 27/28`,
    `23/24 onwards`, `From 23/24`. Blank: no timeline given."""
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        return Timeline(None, None)
    if match := _TL_ONE.match(cleaned):
        year = _short_year(match[1], match[2], cleaned, field)
        return Timeline(year, year)
    if match := _TL_SPAN.match(cleaned):
        first = _short_year(match[1], match[2], cleaned, field)
        last = _short_year(match[3], match[4], cleaned, field)
        if last < first:
            raise InputError(f"'{cleaned}' ends before it starts", field=field)
        return Timeline(first, last)
    if match := _TL_FROM.match(cleaned):
        a, b = (match[1], match[2]) if match[1] else (match[3], match[4])
        return Timeline(_short_year(a, b, cleaned, field), None, open_ended=True)
    raise InputError(
        f"'{cleaned}' is not a timeline: expected e.g. 23/24, 23/24 & 24/25, 23/24 to 27/28,"
        " 23/24 onwards or From 23/24",
        field=field,
    )


def financial_year_label(start_year: int) -> str:
    return FinancialYear(start_year).label


# Where an intervention stands in a financial year, by the years its timeline spans.
TIMELINE_STATUSES: dict[str, str] = {
    "under_way": "Under way",
    "not_started": "Not started yet",
    "finished": "Finished",
    "no_timeline": "No timeline given",
}


def runs_in(start_year: int | None, end_year: int | None, year: int) -> bool:
    """Whether an intervention runs in the financial year starting in `year` (an open-ended one,
    `end_year` None, runs in every year from its start)."""
    if start_year is None:
        return False
    return start_year <= year and (end_year is None or year <= end_year)


def timeline_status(start_year: int | None, end_year: int | None, this_year: int) -> str:
    """Under way, not started yet, finished, or no timeline given, as at the financial year
    starting in `this_year`."""
    if start_year is None:
        return "no_timeline"
    if this_year < start_year:
        return "not_started"
    if end_year is not None and end_year < this_year:
        return "finished"
    return "under_way"
