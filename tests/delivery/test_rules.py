from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.errors import InputError
from placeplan.delivery.domain import rules


@pytest.mark.parametrize(
    ("text", "label", "first", "last"),
    [
        ("2025-26 Q2", "2025-26 Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025/26 q4", "2025-26 Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-25 Q1", "2024-25 Q1", date(2024, 4, 1), date(2024, 6, 30)),
        ("2025-09", "2025-09", date(2025, 9, 1), date(2025, 9, 30)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_reporting_periods(text, label, first, last):
    period = rules.parse_reporting_period(text)
    assert (period.label, period.first_day, period.last_day) == (label, first, last)


@pytest.mark.parametrize("text", ["2025-26", "2025-27 Q1", "2025-13", "Q2", "", "2025-26 Q5"])
def test_bad_reporting_periods_are_refused(text):
    with pytest.raises(InputError) as caught:
        rules.parse_reporting_period(text)
    assert caught.value.field == "period"


def test_change_is_derived_from_the_ratings():
    assert rules.change(None, "red") == "new"
    assert rules.change("red", "amber") == "improved"
    assert rules.change("green", "amber") == "worsened"
    assert rules.change("amber", "amber") == "unchanged"
    assert rules.change("amber", None) == "not_rated"


def test_overdue_and_stages_and_rags():
    as_of = date(2025, 9, 30)
    assert rules.is_overdue(date(2025, 9, 1), None, as_of)
    assert not rules.is_overdue(date(2025, 9, 1), date(2025, 8, 30), as_of)
    assert rules.is_overdue(date(2025, 9, 1), date(2025, 10, 2), as_of)
    assert not rules.is_overdue(date(2025, 10, 1), None, as_of)
    assert not rules.is_overdue(None, None, as_of)
    assert rules.check_stage("Not yet started") == "not_started"
    assert rules.check_rag(" Amber ", "x") == "amber"
    with pytest.raises(InputError):
        rules.check_stage("paused")
    with pytest.raises(InputError):
        rules.check_rag("blue", "x")
    with pytest.raises(InputError):
        rules.check_rag("", "x", required=True)
