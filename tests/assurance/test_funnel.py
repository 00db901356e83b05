"""Funnel plot limits against published exact intervals."""

from __future__ import annotations

import pytest

from placeplan.assurance.domain.funnel import (
    beta_i,
    binomial_limits,
    funnel,
    gamma_p,
    poisson_limits,
)


def test_exact_poisson_limits_match_the_published_tables():
    # The exact 95% interval for 10 events is 4.795 to 18.390 (Garwood 1936; the chi-squared
    # formula chi2(0.025; 20)/2, chi2(0.975; 22)/2 in APHO Technical Briefing 3's tables).
    low, high = poisson_limits(10, 0.05)
    assert low == pytest.approx(4.7954, abs=1e-4)
    assert high == pytest.approx(18.3904, abs=1e-4)
    # For no events the lower limit is 0 and the upper -ln(0.025) = 3.689.
    assert poisson_limits(0, 0.05) == (0.0, pytest.approx(3.6889, abs=1e-4))


def test_exact_binomial_limits_are_clopper_pearsons():
    # Clopper-Pearson 95% for 5 of 10: 0.1871 to 0.8129 (symmetric about a half).
    low, high = binomial_limits(5, 10, 0.05)
    assert low == pytest.approx(0.1871, abs=1e-4)
    assert high == pytest.approx(1 - low, abs=1e-9)


def test_the_special_functions_agree_with_closed_forms():
    # P(1, x) = 1 - e^-x; I_x(1, 1) = x; I_0.4(2, 3) = 0.5248 by expanding the binomial sum.
    assert gamma_p(1, 2.0) == pytest.approx(1 - 2.718281828459045**-2, rel=1e-12)
    assert beta_i(1, 1, 0.3) == pytest.approx(0.3, rel=1e-12)
    assert beta_i(2, 3, 0.4) == pytest.approx(0.5248, rel=1e-10)


def test_a_funnel_bands_each_area_against_the_pooled_rate():
    # Three areas of 10,000 people with 100 events each, and one with 200: the pooled rate is
    # 500 / 40,000, 1,250 per 100,000, so 125 events expected in each. Around 125 the exact
    # limits are 104.0 to 148.9 (95%) and 93.3 to 163.6 (99.8%): 200 is beyond 99.8% above, and
    # 100 between the lower 95% and 99.8% limits.
    shape = funnel(
        [("A", 100, 10_000), ("B", 100, 10_000), ("C", 100, 10_000), ("D", 200, 10_000)],
        "poisson",
        100_000,
    )
    assert shape.comparator == pytest.approx(1250)
    bands = {p.name: p.band for p in shape.points}
    assert bands["D"] == "beyond 99.8% above"
    assert bands["A"] == "95% to 99.8% below"
    # The limits narrow as the population grows.
    widths = [lim.high_95 - lim.low_95 for lim in shape.limits]
    assert widths == sorted(widths, reverse=True)
