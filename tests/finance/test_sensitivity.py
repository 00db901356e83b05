"""Sensitivity and range runs on the small model (tests/finance/factory.py), by hand."""

from __future__ import annotations

import pytest

from placeplan.core.errors import InputError
from placeplan.finance.domain.document import from_document
from placeplan.finance.domain.sensitivity import final_position, range_run, sensitivity
from tests.finance.factory import small_document

RANGES = [
    {"target": "inflation", "low": "-50", "high": "50", "source": "hand"},
    {"target": "allocation", "low": "-10", "high": "10", "source": "hand"},
]


def test_each_range_on_its_own_widest_first() -> None:
    model = from_document(small_document(ranges=RANGES))
    # The final position is the proposal's 2025-26 total, -£19 (tests/finance/test_compute.py).
    assert final_position(model) == -19_00
    swings = sensitivity(model)
    # Inflation (£10 then £20, recurrent) at half and one and a half times: £15 less or more
    # over the two years, so -£4 and -£34: a £30 swing. Allocation (£30 a year) a tenth either
    # way: £6 either way, so -£25 and -£13: a £12 swing. Inflation moves it most.
    assert [(s.name, s.at_low, s.at_high) for s in swings] == [
        ("Tariff inflation", -4_00, -34_00),
        ("Allocation increase", -25_00, -13_00),
    ]


def test_a_range_run_is_seeded_and_stays_within_the_ranges() -> None:
    model = from_document(small_document(ranges=RANGES))
    spread = range_run(model, draws=200, seed=7)
    assert spread == range_run(model, draws=200, seed=7)
    assert spread != range_run(model, draws=200, seed=8)
    # Every draw lies within the two ranges' joint extremes: -£4 + £6 = £2 at best,
    # -£34 - £6 = -£40 at worst.
    assert all(-40_00 <= d <= 2_00 for d in spread.draws)
    assert spread.percentile(5) <= spread.percentile(50) <= spread.percentile(95)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": "nothing"}, "target"),
        ({"low": "20", "high": "10"}, "low"),
        ({"low": "-100"}, "low"),
    ],
)
def test_bad_ranges_are_refused(change: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        from_document(small_document(ranges=[RANGES[0] | change]))
    assert caught.value.field == field


def test_too_many_draws_are_refused() -> None:
    model = from_document(small_document(ranges=RANGES))
    with pytest.raises(InputError) as caught:
        range_run(model, draws=0, seed=1)
    assert caught.value.field == "draws"


def test_the_llr_demo_is_most_sensitive_to_efficiency() -> None:
    import yaml

    from placeplan.demo.finance import DEMO_FILE
    from placeplan.finance.domain.tables import thousands

    model = from_document(yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8")))
    swings = sensitivity(model)
    assert swings[0].name == "3% efficiency"
    growth = next(s for s in swings if s.name == "Growth")
    # Growth is recurrent and adds up to Table 17's five-year 203,317 (£000): a fifth either
    # way moves the final year by 40,663 either way, a swing of 81,327.
    assert thousands(growth.width) == 81_327
    assert thousands(growth.at_low) == 10 + 40_663
