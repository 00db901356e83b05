"""Population bands: the 65-plus count from whole bands only, and bands that overlap or go negative refused."""

from __future__ import annotations

import pytest

from placeplan.areas.domain import check_bands, population_aged
from placeplan.core.errors import InputError


def test_65_plus_sums_whole_bands():
    # 130,000 + 20,000 by hand.
    assert population_aged({"0-64": 600_000, "65-84": 130_000, "85+": 20_000}, 65) == 150_000


def test_a_band_straddling_65_cannot_give_a_65_plus_count():
    with pytest.raises(InputError):
        population_aged({"0-69": 1, "70+": 2}, 65)


def test_overlapping_or_negative_bands_are_refused():
    with pytest.raises(InputError):
        check_bands({"0-65": 1, "65+": 1})
    with pytest.raises(InputError):
        check_bands({"0-64": -1, "65+": 1})
