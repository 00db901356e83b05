"""Ambitions checked at their stated precision; Core20 shares and the deprivation gap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.measures.domain.ambitions import check_change, on_track, on_track_by_period


def test_relative_reduction_at_whole_per_cent() -> None:
    # issue 5, item 3: 536 to 519 "a 3% reduction" is 3.2%: consistent
    check = check_change(536, 519, "a 3% reduction")
    assert check.consistent and check.warning is None
    assert check.reading == "relative"
    assert round(check.computed, 1) == Decimal("3.2")


def test_percentage_measure_change_read_as_points() -> None:
    # issue 5, item 3: 84.7% to 85% "an increase of 0.3%" is 0.3 points: consistent
    check = check_change("84.7%", "85%", "an increase of 0.3%")
    assert check.consistent and check.reading == "points"
    assert check.computed == Decimal("0.3")
    # the relative reading (0.35% -> 0.4%) alone would not agree
    relative = check_change("84.7", "85", "an increase of 0.3%", percentage_measure=False)
    assert not relative.consistent and relative.shown_as == "0.4%"


def test_absolute_change() -> None:
    assert check_change(536, 519, "reduce by 17").consistent
    assert check_change(536, 519, "a reduction of 17").reading == "absolute"
    assert check_change("84.7%", "85%", "an increase of 0.3 percentage points").consistent


def test_failing_statement_is_a_warning_not_an_error() -> None:
    wrong_size = check_change(536, 519, "a 5% reduction")
    assert not wrong_size.consistent and wrong_size.warning
    assert "3%" in wrong_size.warning
    wrong_way = check_change(536, 550, "a 3% reduction")
    assert not wrong_way.consistent and "other way" in (wrong_way.warning or "")
    # precision matters: "3.0%" claims a tenth, and 3.17% is 3.2% at that precision
    assert not check_change(536, 519, "a 3.0% reduction").consistent


def test_unreadable_statement_is_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        check_change(536, 519, "much better")
    assert caught.value.field == "stated"
    with pytest.raises(InputError):
        check_change("abc", 519, "reduce by 17")


def test_on_track_by_direction() -> None:
    assert on_track(519, 519, "lower") == "on_track"
    assert on_track(530, 519, "lower") == "off_track"
    assert on_track(Decimal("93"), Decimal("92.5"), "higher") == "on_track"
    assert on_track(1, None, "higher") == "no_target"
    assert on_track(1, 2, "neither") == "not_applicable"
    statuses = on_track_by_period([("2024-25", 530), ("2025-26", 515)], {"2025-26": 519}, "lower")
    assert statuses == [("2024-25", "no_target"), ("2025-26", "on_track")]
