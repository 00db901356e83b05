"""Intervals and standardised rates against the published methods, each test naming its source.

Sources:
- [TG] PHE/OHID Technical Guide "Confidence intervals" (Fingertips): rates from fewer than 10
  events take the exact Poisson (chi-squared) interval, from 10 Byar's approximation; directly
  standardised rates take Dobson's interval and are not given below 10 events.
- [PIM] PHEindicatormethods (`phe_rate`: exact below 10, Byar's from 10; `phe_dsr`: ESP 2013's
  19 bands, value NA below 10 events, Dobson's interval with Byar's limits of the total count).
- [GEIGY] Exact 95% Poisson limits for counts 0 to 9 as tabulated (Documenta Geigy Scientific
  Tables; the same figures as chi2(0.025, 2x) / 2 and chi2(0.975, 2x + 2) / 2), to 3 decimals.
- [ISSUE] Issue 18's smallest examples, themselves computed with PHEindicatormethods.
- [NEWCOMBE] Newcombe RG, "Two-sided confidence intervals for the single proportion: comparison
  of seven methods", Statistics in Medicine 17 (1998) 857-872, Table I, method 3 (Wilson's score
  interval without continuity correction), to 4 decimals; the method of [TG] and [PIM]'s
  `phe_proportion`.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest

from placeplan.core.errors import InputError
from placeplan.measures.domain.intervals import (
    BYARS,
    EXACT,
    count_interval,
    proportion_interval,
    rate_interval,
)
from placeplan.measures.domain.standardise import AgeRange, BandCount, dsr

GEIGY = {
    0: (0.0, 3.689), 1: (0.0253, 5.572), 2: (0.242, 7.225), 3: (0.619, 8.767),
    4: (1.090, 10.242), 5: (1.623, 11.668), 6: (2.202, 13.059), 7: (2.814, 14.423),
    8: (3.454, 15.763), 9: (4.115, 17.085),
}  # fmt: skip


@pytest.mark.parametrize("count", sorted(GEIGY))
def test_counts_below_ten_take_the_exact_interval(count: int) -> None:
    """[GEIGY], [TG]."""
    found = count_interval(count)
    assert found.method == EXACT
    assert (found.lower, found.upper) == pytest.approx(GEIGY[count], abs=6e-4)


def test_the_smallest_examples() -> None:
    """[ISSUE]: 1 event in 1,000 people is 2.53 to 557.16 per 100,000; 0 events' upper limit
    368.89 (Byar's gave 1.31 to 556.38 and 366.80)."""
    one = rate_interval(1, 1000)
    assert (round(one.lower, 2), round(one.upper, 2)) == (2.53, 557.16)
    none = rate_interval(0, 1000)
    assert (none.lower, round(none.upper, 2)) == (0.0, 368.89)
    assert one.method == none.method == EXACT


def test_ten_events_and_more_take_byars() -> None:
    """[TG], [PIM]: Byar's from 10. Byar's lower limit for O is
    O (1 - 1 / (9 O) - z / (3 sqrt O))^3, upper (O + 1)(1 - 1 / (9 (O + 1)) + z / (3 sqrt(O + 1)))^3."""
    z = 1.959963984540054
    for o in (10, 57, 1000):
        found = count_interval(o)
        assert found.method == BYARS
        assert found.lower == pytest.approx(o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3)
        p = o + 1
        assert found.upper == pytest.approx(p * (1 - 1 / (9 * p) + z / (3 * math.sqrt(p))) ** 3)


NEWCOMBE = {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605), (0, 20): (0.0, 0.1611),
            (1, 29): (0.0061, 0.1718)}  # fmt: skip


@pytest.mark.parametrize(("numerator", "denominator"), sorted(NEWCOMBE))
def test_proportions_take_wilsons_score_interval(numerator: int, denominator: int) -> None:
    """[NEWCOMBE] Table I, method 3; [TG], [PIM]: percentages on a scale of 100."""
    found = proportion_interval(numerator, denominator)
    assert found.method == "Wilson score"
    low, high = NEWCOMBE[(numerator, denominator)]
    assert (round(found.lower / 100, 4), round(found.upper / 100, 4)) == (low, high)


# ---- directly standardised rates ---------------------------------------------------------------
# ESP 2013 weights as Eurostat's 2013 task force report, Table 1, lists them ([PIM]'s esp2013),
# typed here independently of placeplan's table: 0-4, 5-9, ..., 85-89, 90+.
ESP = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000,
       4000, 2500, 1500, 1000]  # fmt: skip
LABELS = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]


def phe_dsr(events: list[int], people: list[int]) -> tuple[float, float, float] | None:
    """[TG] / [PIM] `phe_dsr` written out: DSR = sum(w O / n) / sum(w) x 100,000;
    var = sum(w^2 O / n^2) / sum(w)^2 x 100,000^2; Dobson: DSR + sqrt(var / O) (O_L - O) with
    Byar's O_L and O_U; None below 10 events."""
    total = sum(events)
    if total < 10:
        return None
    w = sum(ESP)
    value = sum(wi * o / n for wi, o, n in zip(ESP, events, people, strict=True)) / w * 1e5
    var = sum(wi**2 * o / n**2 for wi, o, n in zip(ESP, events, people, strict=True)) / w**2 * 1e10
    z = 1.959963984540054
    o, p = total, total + 1
    low = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    high = p * (1 - 1 / (9 * p) + z / (3 * math.sqrt(p))) ** 3
    scale = math.sqrt(var / o)
    return value, value + scale * (low - o), value + scale * (high - o)


def generated_bands(seed: int) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    people = [rng.randint(2_000, 40_000) for _ in ESP]
    rate = rng.choice([0.0002, 0.002, 0.02])
    events = [min(n, int(rng.expovariate(1 / (rate * n * (1 + i / 4))))) for i, n in enumerate(people)]  # fmt: skip
    return events, people


@pytest.mark.parametrize("seed", range(40))
def test_dsr_matches_the_published_formula(seed: int) -> None:
    """[TG], [PIM]: 40 generated sets of 19 bands."""
    events, people = generated_bands(seed)
    expected = phe_dsr(events, people)
    found = dsr([BandCount(b, e, n) for b, e, n in zip(LABELS, events, people, strict=True)])
    if expected is None:
        assert found.value is None and found.reason
        return
    assert found.value is not None
    assert float(found.value) == pytest.approx(expected[0], rel=1e-12)
    assert (found.lower, found.upper) == pytest.approx(expected[1:], rel=1e-9)


def test_no_dsr_below_ten_events() -> None:
    """[PIM] returns no value below 10 events; [ISSUE]: 7 events gave "140.0 (56.1-288.5)"."""
    events = [0] * 16 + [2, 3, 2]
    found = dsr([BandCount(b, e, 2000) for b, e in zip(LABELS, events, strict=True)])
    assert found.value is None and found.lower is None and found.count == 7
    assert found.reason and "fewer than 10 events" in found.reason


@pytest.mark.parametrize("left_out", ["0-4", "90+"])
def test_a_missing_first_or_last_band_is_refused(left_out: str) -> None:
    """[PIM] standardises over all 19 bands; [ISSUE]: leaving out 90+ (0 events) moved a DSR
    from 6464.9 to 6530.2, leaving out 0-4 by +5.3%."""
    rows = [BandCount(b, 50, 10_000) for b in LABELS if b != left_out]
    with pytest.raises(InputError) as caught:
        dsr(rows)
    assert caught.value.field == "breakdown_value"
    assert "one with 0 events" in caught.value.message


def test_a_metrics_own_age_range_is_required_whole() -> None:
    """The falls metric covers 65 and over: 65-69 ... 90+ is whole, 65-69 ... 85-89 is not."""
    over_65 = [BandCount(b, 50, 10_000) for b in LABELS[13:]]
    assert dsr(over_65, ages=AgeRange(65)).value is not None
    with pytest.raises(InputError):
        dsr(over_65[:-1], ages=AgeRange(65))
    under_75 = [BandCount(b, 50, 10_000) for b in LABELS[:15]]
    assert dsr(under_75, ages=AgeRange(0, 74)).value is not None


@pytest.mark.parametrize("seed", range(10))
def test_ons_style_bands_map_to_the_esp_2013(seed: int) -> None:
    """[PIM]'s 19 bands from ONS's 0, 1-4, 5-9, ..., 90-94, 95+: 0-4 = 0 + 1-4 and 90+ = 90-94
    + 95+, counts added before the rate is taken."""
    events, people = generated_bands(seed)
    split = [("0", events[0] // 3, people[0] // 5), ("1-4", events[0] - events[0] // 3,
             people[0] - people[0] // 5)]  # fmt: skip
    split += [(b, e, n) for b, e, n in zip(LABELS[1:-1], events[1:-1], people[1:-1], strict=True)]
    split += [("90-94", events[-1] // 2, people[-1] // 2),
              ("95+", events[-1] - events[-1] // 2, people[-1] - people[-1] // 2)]  # fmt: skip
    ons = dsr([BandCount(b, e, n) for b, e, n in split])
    expected = phe_dsr(events, people)
    assert ons.bands == 19
    if expected is None:
        assert ons.value is None
        return
    assert ons.value is not None and float(ons.value) == pytest.approx(expected[0], rel=1e-12)
    assert ons.count == Decimal(sum(events))
