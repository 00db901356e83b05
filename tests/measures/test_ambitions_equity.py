"""Ambitions checked at their stated precision; Core20 shares and the deprivation gap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.measures.ambitions import check_change, on_track, on_track_by_period
from placeplan.measures.equity import Core20Place, core20_shares, gap_trend, quintile_gap


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


# Five-Year Plan, Table 2 (seed 003): registered patients and those in the 20% most deprived
TABLE_2 = [
    Core20Place("Leicester", 413_074, 130_794),
    Core20Place("Leicestershire", 688_401, 22_321),
    Core20Place("Rutland", 40_035, 169),
]


def test_table_2_reproduced() -> None:
    table = core20_shares(TABLE_2, "LLR")
    rows = table.as_dict()
    assert [p["core20_pct_of_patients"] for p in rows["places"]] == [31.7, 3.2, 0.4]  # type: ignore[index]
    assert rows["system"]["core20_pct_of_patients"] == 13.4  # type: ignore[index]
    assert [p["pct_of_system_core20"] for p in rows["places"]] == [85.3, 14.6, 0.1]  # type: ignore[index]
    assert table.system.registered_patients == 1_141_510
    assert table.system.core20_patients == 153_284


def test_core20_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        core20_shares([Core20Place("X", 10, 11)])
    assert caught.value.field == "core20_patients" and caught.value.row == 1
    with pytest.raises(InputError):
        core20_shares([Core20Place("X", 0, 0)])


def test_quintile_gap_and_trend() -> None:
    # hand-built: gaps 40, 35, 30 per period -> slope -5 a period (narrowing)
    series = [
        ("2022-23", {1: 100, 3: 80, 5: 60}),
        ("2023-24", {1: 95, 5: 60}),
        ("2024-25", {1: 90, 5: 60}),
    ]
    trend = gap_trend(series)  # type: ignore[arg-type]
    assert [g.gap for g in trend.gaps] == [40, 35, 30]
    assert trend.slope == pytest.approx(-5)
    assert quintile_gap("x", {1: 90, 5: 60}).ratio == pytest.approx(1.5)
    assert gap_trend(series[:1]).slope is None  # type: ignore[arg-type]
    with pytest.raises(InputError):
        quintile_gap("x", {1: 90})
