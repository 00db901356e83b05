"""A system's figure from its areas' counts, and an area's latest stored figure: pure, with every
number worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.pledges.domain.system_figure import (
    NO_COMPLETE_PERIOD,
    Row,
    area_figure,
    system_figure,
)

CITY, COUNTY, RUTLAND = "E06000016", "E10000018", "E06000017"
LLR = [CITY, COUNTY, RUTLAND]


def _row(area: str, period: str, numerator: int | None, denominator: int | None, **kw) -> Row:
    return Row(
        area,
        period,
        None if numerator is None else Decimal(numerator),
        None if denominator is None else Decimal(denominator),
        **kw,
    )


# The demo's illustrative A&E counts (five_year_plan.yaml): April and May 2024 for all three
# places, June for two of them.
AE = [
    _row(CITY, "2024-04", 9700, 13600),
    _row(COUNTY, "2024-04", 12800, 17000),
    _row(RUTLAND, "2024-04", 700, 880),
    _row(CITY, "2024-05", 10150, 14000),
    _row(COUNTY, "2024-05", 13300, 17500),
    _row(RUTLAND, "2024-05", 720, 900),
    _row(CITY, "2024-06", 10400, 14200),
    _row(COUNTY, "2024-06", 13700, 17800),
]


def test_a_percentage_is_summed_counts_for_the_latest_period_every_area_has():
    found = system_figure("percentage", LLR, AE)
    # June has no Rutland row, so May: (10,150 + 13,300 + 720) / (14,000 + 17,500 + 900)
    # = 24,170 / 32,400 = 74.5987...%. The average of the three shares (72.5, 76.0, 80.0) would
    # be 76.17%: not what is computed.
    assert found.period == "2024-05"
    assert (found.numerator, found.denominator) == (Decimal(24170), Decimal(32400))
    assert found.value is not None
    assert found.value.quantize(Decimal("0.0001")) == Decimal("74.5988")
    assert found.reason is None and found.areas == tuple(LLR)
    assert len(found.cells) == 3


def test_no_period_with_every_areas_counts_gives_no_figure():
    # Rutland has counts only for a period no other area has.
    rows = [_row(CITY, "2024-04", 9700, 13600), _row(RUTLAND, "2024-05", 720, 900)]
    found = system_figure("percentage", LLR, rows)
    assert (found.value, found.period, found.reason) == (None, None, NO_COMPLETE_PERIOD)


def test_a_row_without_counts_does_not_count_for_its_area():
    # Rutland's May share is published without counts (value only): May is not complete, so
    # April's three rows give (9,700 + 12,800 + 700) / (13,600 + 17,000 + 880) = 23,200 / 31,480
    # = 73.6976...%.
    rows = [r for r in AE if not (r.area == RUTLAND and r.period == "2024-05")]
    rows.append(Row(RUTLAND, "2024-05", None, None, value=Decimal(80)))
    found = system_figure("percentage", LLR, rows)
    assert found.period == "2024-04"
    assert found.value is not None
    assert found.value.quantize(Decimal("0.0001")) == Decimal("73.6976")


def test_a_rate_per_100k_is_summed_events_over_summed_people():
    # 120 in 300,000 (40 per 100,000) and 30 in 50,000 (60 per 100,000): the system is
    # 150 / 350,000 x 100,000 = 42.857...; averaging the rates would give 50.
    rows = [_row(CITY, "2024-25", 120, 300_000), _row(COUNTY, "2024-25", 30, 50_000)]
    found = system_figure("rate_per_100k", [CITY, COUNTY], rows)
    assert found.value is not None
    assert found.value.quantize(Decimal("0.001")) == Decimal("42.857")


def test_counts_add_up_and_days_are_a_ratio_of_sums():
    counts = [
        _row(CITY, "2024-04", 300, None),
        _row(COUNTY, "2024-04", 200, None),
        _row(RUTLAND, "2024-04", 50, None),
    ]
    # 300 + 200 + 50 = 550 appointments.
    assert system_figure("count", LLR, counts).value == Decimal(550)
    # 110 days delayed over 100 discharges and 90 over 150: 200 / 250 = 0.8 days a discharge
    # (the two areas' 1.1 and 0.6 average 0.85).
    days = [_row(CITY, "2024-04", 110, 100), _row(COUNTY, "2024-04", 90, 150)]
    assert system_figure("days", [CITY, COUNTY], days).value == Decimal("0.8")


@pytest.mark.parametrize("unit", ["minutes", "years"])
def test_centiles_and_life_expectancy_are_not_combined(unit):
    rows = [_row(CITY, "2024-04", 30, 1), _row(COUNTY, "2024-04", 40, 1)]
    found = system_figure(unit, [CITY, COUNTY], rows)
    assert (
        found.value is None and found.reason and "cannot be added up across areas" in found.reason
    )


def test_an_age_standardised_rate_is_standardised_again_from_the_summed_bands():
    rows = [
        _row(CITY, "2023-24", 10, 1000, breakdown="age_band", band="65-74"),
        _row(CITY, "2023-24", 30, 500, breakdown="age_band", band="75+"),
        _row(COUNTY, "2023-24", 30, 3000, breakdown="age_band", band="65-74"),
        _row(COUNTY, "2023-24", 10, 500, breakdown="age_band", band="75+"),
        # The all-ages rows are not used: their DSRs cannot be summed.
        _row(CITY, "2023-24", 40, 1500),
        _row(COUNTY, "2023-24", 40, 3500),
    ]
    found = system_figure("rate_per_100k_dsr", [CITY, COUNTY], rows)
    # Summed bands: 65-74 has 40 in 4,000 (0.01), 75+ has 40 in 1,000 (0.04). ESP 2013 weights:
    # 65-74 = 5,500 + 5,000 = 10,500; 75+ = 4,000 + 2,500 + 1,500 + 1,000 = 9,000.
    # DSR = (10,500 x 0.01 + 9,000 x 0.04) / 19,500 x 100,000 = 465 / 19,500 x 100,000
    # = 2,384.615...
    assert found.value is not None
    assert found.value.quantize(Decimal("0.001")) == Decimal("2384.615")
    assert (found.numerator, found.denominator) == (Decimal(80), Decimal(5000))


def test_areas_with_different_age_bands_give_no_standardised_figure():
    rows = [
        _row(CITY, "2023-24", 10, 1000, breakdown="age_band", band="65-74"),
        _row(CITY, "2023-24", 30, 500, breakdown="age_band", band="75+"),
        _row(COUNTY, "2023-24", 40, 1500, breakdown="age_band", band="65+"),
    ]
    found = system_figure("rate_per_100k_dsr", [CITY, COUNTY], rows)
    assert found.value is None and found.reason and found.reason.startswith(NO_COMPLETE_PERIOD)


def test_of_two_periods_ending_together_the_shorter_is_latest():
    # 2024-25 and 2025-03 both end on 31 March 2025; the month is the more recent figure:
    # 50 / 100 and 30 / 100 give 80 / 200 = 40%.
    rows = [
        _row(CITY, "2024-25", 500, 1000),
        _row(COUNTY, "2024-25", 300, 1000),
        _row(CITY, "2025-03", 50, 100),
        _row(COUNTY, "2025-03", 30, 100),
    ]
    found = system_figure("percentage", [CITY, COUNTY], rows)
    assert (found.period, found.value) == ("2025-03", Decimal(40))


def test_an_illustrative_row_makes_the_figure_illustrative():
    rows = [_row(CITY, "2024-04", 1, 2), _row(COUNTY, "2024-04", 1, 2, illustrative=True)]
    assert system_figure("percentage", [CITY, COUNTY], rows).illustrative


def test_a_system_without_areas_has_no_figure():
    assert system_figure("percentage", [], AE).reason == "the system has no areas"


def test_an_areas_figure_is_its_latest_stored_value():
    rows = [
        Row(COUNTY, "2024-04", Decimal(12800), Decimal(17000), value=Decimal("75.294118")),
        Row(COUNTY, "2024-05", Decimal(13300), Decimal(17500), value=Decimal(76)),
        Row(CITY, "2024-06", Decimal(10400), Decimal(14200), value=Decimal("73.239437")),
        Row(COUNTY, "2024-06", None, None, value=Decimal(1), breakdown="sex", band="female"),
    ]
    found = area_figure(COUNTY, rows)
    # The county's latest all-persons row is May's 76 (June is the city's, or a breakdown).
    assert (found.period, found.value) == ("2024-05", Decimal(76))
    missing = area_figure(RUTLAND, rows)
    assert missing.value is None and missing.reason
