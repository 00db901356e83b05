"""The periods pledges' figures are for (pledges.domain.periods)."""

from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.errors import InputError
from placeplan.pledges.domain import periods as rules


def test_periods_have_their_first_and_last_days():
    assert rules.parse_period("2023-24") == rules.Period(
        "2023-24", date(2023, 4, 1), date(2024, 3, 31)
    )
    # Q3 of 2023-24 is October to December 2023.
    assert rules.parse_period("2023-24 Q3").end == date(2023, 12, 31)
    # Q4 runs into the next calendar year: January to March 2024 (2024 is a leap year: 29 Feb).
    assert rules.parse_period("2023-24 Q4").start == date(2024, 1, 1)
    assert rules.parse_period("2024-02").end == date(2024, 2, 29)
    assert rules.parse_period("2021").end == date(2021, 12, 31)
    assert rules.parse_period("2018 to 2020").start == date(2018, 1, 1)
    # 24 follows 2023, so 2023-24 is a financial year; 07 does not follow 2023, so a month.
    assert rules.parse_period("2023-07").end == date(2023, 7, 31)


@pytest.mark.parametrize("text", ["", "2023-13", "2023-25 Q1", "23/24", "2020 to 2018", "soon"])
def test_a_bad_period_is_refused_naming_the_field(text):
    with pytest.raises(InputError) as caught:
        rules.parse_period(text, "baseline_period")
    assert caught.value.field == "baseline_period"
