"""The small-number rule: under 10 hidden, with a complementary cell where a total would give it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeplan.measures.domain.suppression import (
    SUPPRESSED,
    Cell,
    is_primary,
    is_small,
    label_for,
    suppress_group,
    suppress_series,
)


def test_under_ten_is_small_and_ten_is_not():
    # The rule as the brief states it: "numerator or denominator under 10".
    assert [is_small(n) for n in (0, 9, Decimal("9.9999"), 10, None)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert is_primary(Cell("a", 12, 8)) and is_primary(Cell("b", 3, 500))
    assert not is_primary(Cell("c", 10, 10)) and not is_primary(Cell("d", None, None))
    assert SUPPRESSED == "suppressed (fewer than 10)"


def test_one_small_cell_takes_the_next_smallest_with_it():
    # Sex: 7 + 40 + 300 = 347 published as the total. Hiding only the 7 would leave it as
    # 347 - 40 - 300, so the next smallest numerator (40) goes too.
    cells = [Cell("female", 7, 900), Cell("male", 300, 950), Cell("not known", 40, 60)]
    assert suppress_group(cells) == {"female": "small", "not known": "complementary"}


def test_ties_go_to_the_smaller_denominator_then_the_first():
    cells = [Cell("1", 5, 100), Cell("2", 20, 400), Cell("3", 20, 300), Cell("4", 20, 300)]
    assert suppress_group(cells) == {"1": "small", "3": "complementary"}


def test_two_small_cells_whose_sum_is_ten_or_more_need_nothing_more():
    # With two hidden, only their sum (total minus the rest) can be worked out: 6 + 5 = 11.
    cells = [Cell("1", 6, 100), Cell("2", 5, 400), Cell("3", 50, 300)]
    assert suppress_group(cells) == {"1": "small", "2": "small"}


def test_hidden_cells_whose_sum_is_small_take_another_with_them():
    # 4 + 3 = 7 is the total minus the shown cells: a small number published in all but name.
    cells = [Cell("1", 4, 100), Cell("2", 3, 400), Cell("3", 50, 300)]
    assert suppress_group(cells) == {"1": "small", "2": "small", "3": "complementary"}


def test_two_suppressed_zeros_do_not_disclose_each_other():
    # Issue 18's example: quintiles 0/500, 0/800, 25/700, 90/900, 120/1000. The two zeros sum
    # to 0 (total 235 minus 25 + 90 + 120), which says each is 0; the next smallest, 25, goes
    # too, after which the hidden cells sum to 25 and neither zero can be told.
    cells = [Cell("1", 0, 500), Cell("2", 0, 800), Cell("3", 25, 700), Cell("4", 90, 900),
             Cell("5", 120, 1000)]  # fmt: skip
    hidden = suppress_group(cells)
    assert hidden == {"1": "small", "2": "small", "3": "complementary"}
    assert label_for(hidden["3"]) == "withheld so that a small number cannot be worked out"
    assert label_for(hidden["1"]) == SUPPRESSED


def test_a_small_denominator_hides_the_cell_and_nothing_small_hides_nothing():
    assert suppress_group([Cell("a", 2, 5), Cell("b", 0, 6)]) == {"a": "small", "b": "small"}
    assert suppress_group([Cell("a", 12, 50), Cell("b", 10, 60)]) == {}
    # A lone cell has no partner to hide; the total it equals is small too and hidden itself.
    assert suppress_group([Cell("only", 3, 40)]) == {"only": "small"}


def test_cells_without_counts_are_the_last_choice_for_a_complement():
    cells = [Cell("a", 4, 100), Cell("b", None, None), Cell("c", 500, 9000)]
    assert suppress_group(cells) == {"a": "small", "c": "complementary"}


def test_a_series_hides_only_its_small_periods():
    cells = [Cell("2024-04", 12, None), Cell("2024-05", 8, None), Cell("2024-06", 15, None)]
    assert suppress_series(cells) == {"2024-05": "small"}


def test_keys_must_be_unique():
    with pytest.raises(ValueError):
        suppress_group([Cell("a", 1, 2), Cell("a", 3, 4)])
