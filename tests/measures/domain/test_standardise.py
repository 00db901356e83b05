"""Direct standardisation to the ESP 2013 with Dobson's interval, and the Wilson and Byar's
intervals, against hand-worked arithmetic and the exact Poisson limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.measures.domain.intervals import byars_lower, byars_upper, rate_interval, wilson
from placeplan.measures.domain.standardise import (
    ESP2013,
    AgeRange,
    BandCount,
    dsr,
    esp_weight,
    parse_band,
)

AGED_65 = AgeRange(65)  # the falls metric's ages: 65 and over


def test_the_esp_2013_has_19_bands_summing_to_100000():
    # Eurostat 2013 (as PHEindicatormethods' esp2013 lists them): 0-4 ... 85-89, 90+.
    assert len(ESP2013) == 19 and sum(w for _, w in ESP2013) == 100_000
    assert [w for _, w in ESP2013][-6:] == [5500, 5000, 4000, 2500, 1500, 1000]


def test_coarser_bands_sum_the_five_year_weights():
    # 65-74 = 65-69 + 70-74 = 5500 + 5000; 85+ = 85-89 + 90+ = 1500 + 1000; 0-4 alone = 5000.
    assert esp_weight(parse_band("65-74")) == 10_500
    assert esp_weight(parse_band("85+")) == 2_500
    assert esp_weight(parse_band("0-4")) == 5_000
    assert esp_weight(parse_band("0+")) == 100_000
    assert esp_weight(parse_band("90 and over")) == 1_000


@pytest.mark.parametrize("band", ["66-74", "65-73", "92+", "65-90", "old"])
def test_bands_off_the_five_year_grid_are_refused(band):
    with pytest.raises(InputError) as caught:
        esp_weight(parse_band(band))
    assert caught.value.field == "breakdown_value"


def test_a_hand_worked_dsr_with_dobsons_interval():
    # Hand-worked, ages 65+ in three bands (ESP 2013 weights summed as above):
    #   band   weight  events  people   crude rate      weight x rate
    #   65-74  10,500     100  50,000   0.002           21
    #   75-84   6,500     200  25,000   0.008           52
    #   85+     2,500     150   5,000   0.03            75
    # DSR = (21 + 52 + 75) / 19,500 x 100,000 = 148 / 19,500 x 100,000 = 758.974358...
    # Variance terms w^2 O / n^2: 10,500^2 x 100 / 50,000^2 = 4.41; 6,500^2 x 200 / 25,000^2 =
    # 13.52; 2,500^2 x 150 / 5,000^2 = 37.5; sum 55.43.
    # var(DSR) = 55.43 / 19,500^2 x 100,000^2 = 1,457.7252; O = 450; sqrt(var / O) = 1.799830.
    # Byar's for O = 450, z = 1.959964: 1/(9 x 450) = 0.000247, z / (3 sqrt 450) = 0.030798,
    #   O_L = 450 x (1 - 0.000247 - 0.030798)^3 = 409.3772;
    #   O_U = 451 x (1 - 1/(9 x 451) + z / (3 sqrt 451))^3 = 493.5628.
    # Lower = 758.9744 + 1.799830 x (409.3772 - 450) = 685.860;
    # upper = 758.9744 + 1.799830 x (493.5628 - 450) = 837.380.
    result = dsr(
        [
            BandCount("85+", 150, 5_000),  # order does not matter
            BandCount("65-74", 100, 50_000),
            BandCount("75-84", 200, 25_000),
        ],
        ages=AGED_65,
    )
    assert result.value.quantize(Decimal("0.000001")) == Decimal("758.974359")
    assert result.total_weight == 19_500 and result.count == 450 and result.population == 80_000
    assert result.lower == pytest.approx(685.860, abs=0.001)
    assert result.upper == pytest.approx(837.380, abs=0.001)


def test_one_band_is_its_crude_rate():
    # 40 events among 8,000 people aged 90+: 40 / 8,000 x 100,000 = 500.
    assert dsr([BandCount("90+", 40, 8_000)], ages=AgeRange(90)).value == 500


def test_no_events_give_no_rate_and_say_why():
    result = dsr([BandCount("65-74", 0, 1_000), BandCount("75+", 0, 500)], ages=AGED_65)
    assert result.value is None and result.lower is None and result.upper is None
    assert result.reason and "fewer than 10 events" in result.reason


@pytest.mark.parametrize(
    "rows,words",
    [
        ([BandCount("65-74", 1, 10), BandCount("70-79", 1, 10)], "overlap"),
        ([BandCount("65-69", 1, 10), BandCount("75-79", 1, 10)], "70 to 74"),
        ([BandCount("65+", 1, 0)], "above zero"),
        ([BandCount("65+", 1, 10), BandCount("70-74", 1, 10)], "overlap"),
        ([], "at least one"),
    ],
)
def test_bad_bands_are_refused(rows, words):
    with pytest.raises(InputError) as caught:
        dsr(rows, ages=AGED_65)
    assert words in caught.value.message


def test_byars_is_close_to_the_exact_poisson_limits():
    # Exact Poisson 95% limits (chi-square: chi2(0.025, 2x)/2 and chi2(0.975, 2x+2)/2), as
    # printed in standard tables: x = 10 gives 4.7954 and 18.3904; x = 100 gives 81.3639 and
    # 121.6268. Byar's approximation agrees to within 0.01 at both.
    assert byars_lower(10) == pytest.approx(4.7954, abs=0.01)
    assert byars_upper(10) == pytest.approx(18.3904, abs=0.01)
    assert byars_lower(100) == pytest.approx(81.3639, abs=0.01)
    assert byars_upper(100) == pytest.approx(121.6268, abs=0.01)
    assert byars_lower(0) == 0


def test_wilson_by_hand():
    # 30 of 120, z = 1.959964: z^2 = 3.841459; 4 x 30 x (1 - 30/120) = 90;
    # spread = z x sqrt(3.841459 + 90) = 1.959964 x 9.687180 = 18.986535;
    # lower = (60 + 3.841459 - 18.986535) / (2 x 123.841459) = 44.854924 / 247.682918 = 0.181099
    # upper = (60 + 3.841459 + 18.986535) / 247.682918 = 82.827994 / 247.682918 = 0.334411
    low, high = wilson(30, 120)
    assert low == pytest.approx(0.181099, abs=1e-6) and high == pytest.approx(0.334411, abs=1e-6)
    with pytest.raises(ValueError):
        wilson(5, 0)


def test_a_crude_rate_interval_scales_byars_limits():
    # 100 events among 50,000: rate 200 per 100,000; limits Byar's (81.362, 121.628) / 50,000
    # x 100,000 = 162.72 and 243.26.
    found = rate_interval(100, 50_000)
    assert found.lower == pytest.approx(162.724, abs=0.001)
    assert found.upper == pytest.approx(243.256, abs=0.001)
