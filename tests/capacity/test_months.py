"""Months as the pages name them."""

from __future__ import annotations

import pytest

from placeplan.capacity.present.months import month_parts, month_words


@pytest.mark.parametrize(
    ("month", "words", "parts"),
    [
        ("2025-04", "Apr 2025", ("Apr", "2025")),
        ("2026-03", "Mar 2026", ("Mar", "2026")),  # a financial year's last month: its own year
        ("M01", "Month 1", ("Month", "1")),  # a model without a start date
        ("2025-13", "2025-13", ("2025-13", "")),  # not a month: shown as it is
    ],
)
def test_months_are_named_with_their_year(month: str, words: str, parts: tuple[str, str]) -> None:
    assert month_words(month) == words
    assert month_parts(month) == parts
