"""Ambitions checked at their stated precision; Core20 shares and the deprivation gap."""

from __future__ import annotations

import pytest

from placeplan.core.errors import InputError
from placeplan.measures.domain.equity import Core20Place, core20_shares, gap_trend, quintile_gap

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


def test_a_withheld_year_leaves_a_gap_on_the_time_axis() -> None:
    # Issue 18's example: gaps -10 in 2021-22, withheld in 2022-23, -6 in 2023-24. Over the
    # real years (0 and 2) the least-squares slope is (-6 - -10) / 2 = +2.0 a year; numbering
    # the kept periods 0, 1 would give +4.0.
    series = [("2021-22", {1: 50, 5: 60}), ("2023-24", {1: 54, 5: 60})]
    trend = gap_trend(series)  # type: ignore[arg-type]
    assert trend.slope == pytest.approx(2.0) and trend.per == "year"
    # Quarters count in quarters: Q1 then Q3 of one year, gap 4 then 8: +2.0 a quarter.
    quarters = [("2024-25 Q1", {1: 14, 5: 10}), ("2024-25 Q3", {1: 18, 5: 10})]
    assert gap_trend(quarters).slope == pytest.approx(2.0)  # type: ignore[arg-type]
