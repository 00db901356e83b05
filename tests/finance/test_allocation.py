"""Need-weighted allocation and its glide path, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.finance.domain.allocation import allocate
from placeplan.finance.domain.allocation_document import from_document
from tests.finance.factory import two_areas


def test_targets_from_need_and_a_paced_glide_path() -> None:
    a, b = allocate(from_document(two_areas()))
    # Mean deprivation (300 + 100) / 200 = 2: indices 1.5 and 0.5; weighted 150 and 50, so
    # shares of 75% and 25%: targets £75 and £25 of £100.
    assert (a.need, b.need) == (Decimal("1.5"), Decimal("0.5"))
    assert (a.target, b.target) == (75_00, 25_00)
    assert b.distance == 100  # £50 against a £25 target: 100% over
    # B loses at most 10% a year (£50 -> £45 -> £40.50 -> £36.45); A takes what is freed.
    assert b.path == (45_00, 40_50, 36_45)
    assert a.path == (55_00, 59_50, 63_55)


def test_the_furthest_below_target_gains_first() -> None:
    document = two_areas(
        areas=[
            {"name": "A", "population": 100, "current": 20},
            {"name": "B", "population": 100, "current": 56},
            {"name": "C", "population": 100, "current": 24},
        ],
        components=[
            {
                "name": "Index",
                "weight": 1,
                "uploaded": True,
                "values": {"A": "1.5", "B": "0.6", "C": "0.9"},
                "source": "hand",
            },
        ],  # fmt: skip
        totals=[100],
    )
    a, b, c = allocate(from_document(document))
    # Shares 50%, 20%, 30%. B may fall to £50.40 (90% of £56): £5.60 is freed. A is at 40% of
    # its target and C at 80%: all £5.60 goes to A, which stays furthest below.
    assert (a.path, b.path, c.path) == ((25_60,), (50_40,), (24_00,))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"components": [{"name": "D", "weight": -1, "values": {"A": 1, "B": 1}}]}, "weight"),
        ({"components": [{"name": "D", "weight": 1, "values": {"A": 1}}]}, "values"),
        ({"areas": [{"name": "A", "population": 0, "current": 1}]}, "population"),
        ({"totals": []}, "totals"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(change: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        from_document(two_areas(**change))
    assert caught.value.field == field
