"""Months as the pages name them: "2025-04" is "Apr 2025" (with its year, so a year that runs
April to March reads unambiguously); a model without a start date has months "M01".. "Month 1"."""

from __future__ import annotations

NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_parts(month: str) -> tuple[str, str]:
    """The month's name and its year (for a chart's axis, on two lines): ("Apr", "2025")."""
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
        number = int(month[5:])
        if 1 <= number <= 12:
            return NAMES[number - 1], month[:4]
    if len(month) == 3 and month[0] == "M" and month[1:].isdigit():
        return "Month", str(int(month[1:]))
    return month, ""


def month_words(month: str) -> str:
    """ "2025-04" -> "Apr 2025"; "M03" -> "Month 3"; anything else as it is."""
    return " ".join(p for p in month_parts(month) if p)
