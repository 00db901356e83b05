"""Intervention timelines as the plan writes them (pledges.domain.timelines)."""

from __future__ import annotations

import pytest

from placeplan.core.errors import InputError
from placeplan.pledges.domain import timelines as rules


@pytest.mark.parametrize(
    ("text", "start", "end", "open_ended"),
    [
        ("23/24", 2023, 2023, False),
        ("23/24 & 24/25", 2023, 2024, False),
        ("23/24 to 27/28", 2023, 2027, False),
        ("25/26 & 26/27", 2025, 2026, False),
        ("23/24 onwards", 2023, None, True),
        ("From 27/28", 2027, None, True),
        ("", None, None, False),
    ],
)
def test_timelines_as_the_plan_writes_them(text, start, end, open_ended):
    assert rules.parse_timeline(text) == rules.Timeline(start, end, open_ended)


@pytest.mark.parametrize("text", ["23/25", "27/28 to 23/24", "next year"])
def test_a_bad_timeline_is_refused(text):
    with pytest.raises(InputError):
        rules.parse_timeline(text)


def test_a_timeline_covers_its_years():
    # "From 27/28" in a plan ending 2027-28 covers just that year; "23/24 onwards" all five.
    assert [y for y in range(2023, 2028) if rules.Timeline(2027, None, True).covers(y, 2027)] == [
        2027
    ]
    assert rules.Timeline(2023, None, True).covers(2027, 2027)
    assert not rules.Timeline(2023, 2024).covers(2025, 2027)
