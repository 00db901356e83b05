"""Lengths of stay fitted to observed stays, checked against references computed here apart from
the code: the lognormal's closed-form maximum likelihood (mean and sd of the logs, by the
standard library's statistics module), the gamma's likelihood equation (digamma by a central
difference of math.lgamma) and its log-likelihood falling either side of the fitted shape, the
Kolmogorov-Smirnov statistic by a plain loop, its p-value against the published critical values
of the Kolmogorov distribution, and the gamma CDF against its closed form for whole shapes."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from placeplan.capacity.domain.fitting import (
    check_stays,
    fit_gamma,
    fit_stays,
    gamma_cdf,
    ks_p_value,
    regularised_gamma,
)
from placeplan.capacity.io.stays import read_stays
from placeplan.core.errors import InputError

# a seeded sample of 400 stays, lognormal with log-mean 3 and log-sd 0.6 (mean about 24 days)
SAMPLE = np.random.default_rng(2026).lognormal(3.0, 0.6, 400)


def test_the_lognormal_fit_is_the_mean_and_sd_of_the_logs() -> None:
    logs = [math.log(x) for x in SAMPLE]
    mu, sigma = statistics.fmean(logs), statistics.pstdev(logs)  # MLE: divided by n
    fit = fit_stays(np.sort(SAMPLE)).fits["lognormal"]
    assert fit.parameters["mu"] == pytest.approx(mu, rel=1e-12)
    assert fit.parameters["sigma"] == pytest.approx(sigma, rel=1e-12)
    # the mean and sd the scenario takes: exp(mu + sigma^2 / 2), mean x sqrt(exp(sigma^2) - 1)
    assert fit.mean == pytest.approx(math.exp(mu + sigma**2 / 2), rel=1e-12)
    assert fit.sd == pytest.approx(fit.mean * math.sqrt(math.exp(sigma**2) - 1), rel=1e-12)
    # its log-likelihood, summed term by term with the standard library's normal density
    normal = statistics.NormalDist(mu, sigma)
    ll = sum(math.log(normal.pdf(math.log(x)) / x) for x in SAMPLE)
    assert fit.log_likelihood == pytest.approx(ll, rel=1e-9)
    assert fit.aic == pytest.approx(4 - 2 * ll, rel=1e-9)


def _gamma_log_likelihood(xs: np.ndarray, shape: float, scale: float) -> float:
    return sum(
        (shape - 1) * math.log(x) - x / scale - shape * math.log(scale) - math.lgamma(shape)
        for x in xs
    )


def test_the_gamma_fit_solves_its_likelihood_equation() -> None:
    fit = fit_stays(np.sort(SAMPLE)).fits["gamma"]
    k, scale = fit.parameters["shape"], fit.parameters["scale"]
    mean_x = statistics.fmean(SAMPLE)
    mean_log = statistics.fmean(math.log(x) for x in SAMPLE)
    h = 1e-5
    digamma = (math.lgamma(k + h) - math.lgamma(k - h)) / (2 * h)
    # log k - digamma(k) = log(mean x) - mean(log x), and the scale is mean x / k
    assert math.log(k) - digamma == pytest.approx(math.log(mean_x) - mean_log, rel=1e-7)
    assert scale == pytest.approx(mean_x / k, rel=1e-12)
    assert fit.mean == pytest.approx(mean_x, rel=1e-12)  # a gamma MLE keeps the sample mean
    ll = _gamma_log_likelihood(SAMPLE, k, scale)
    assert fit.log_likelihood == pytest.approx(ll, rel=1e-9)
    for other in (k * 0.99, k * 1.01):  # the likelihood (at its best scale) is lower either side
        assert _gamma_log_likelihood(SAMPLE, other, mean_x / other) < ll


def test_the_gamma_fit_finds_a_known_shape_in_a_large_sample() -> None:
    xs = np.random.default_rng(7).gamma(2.5, 8.0, 20_000)
    fit = fit_gamma(np.sort(xs))
    assert fit.parameters["shape"] == pytest.approx(2.5, rel=0.05)
    assert fit.parameters["scale"] == pytest.approx(8.0, rel=0.05)


def test_the_ks_statistic_is_the_largest_gap_found_by_a_plain_loop() -> None:
    fitted = fit_stays(np.sort(SAMPLE))
    fit = fitted.fits["lognormal"]
    normal = statistics.NormalDist(fit.parameters["mu"], fit.parameters["sigma"])
    xs, n, gap = sorted(SAMPLE), len(SAMPLE), 0.0
    for i, x in enumerate(xs, start=1):
        f = normal.cdf(math.log(x))
        gap = max(gap, i / n - f, f - (i - 1) / n)
    assert fit.ks_statistic == pytest.approx(gap, rel=1e-9)
    # the sample is lognormal: the lognormal fits (a large p-value), better than the gamma by AIC
    assert fit.ks_p_value > 0.2
    assert fitted.best == "lognormal"


@pytest.mark.parametrize(
    ("critical", "p"),  # the Kolmogorov distribution's upper points (e.g. Smirnov's 1948 table)
    [(1.2238, 0.10), (1.3581, 0.05), (1.6276, 0.01)],
)
def test_the_ks_p_value_meets_the_published_critical_values(critical: float, p: float) -> None:
    n = 1_000_000  # large enough that Stephens' correction is negligible
    d = critical / math.sqrt(n)
    assert ks_p_value(d, n) == pytest.approx(p, abs=2e-4)


def test_the_gamma_cdf_meets_its_closed_form_for_whole_shapes() -> None:
    for x in (0.3, 1.0, 2.5, 7.0, 20.0):  # both sides of a + 1: the series and the fraction
        assert regularised_gamma(1, x) == pytest.approx(1 - math.exp(-x), rel=1e-12)
        closed = 1 - math.exp(-x) * (1 + x + x * x / 2)
        assert regularised_gamma(3, x) == pytest.approx(closed, rel=1e-10, abs=1e-15)
    # and scaled: P(X <= 10) for shape 3, scale 5 is P(3, 2)
    assert gamma_cdf(np.array([10.0]), 3, 5)[0] == pytest.approx(1 - math.exp(-2) * 5, rel=1e-12)


def _csv(values: list[str]) -> bytes:
    return "\n".join(["Length of stay (days)", *values]).encode()


def test_bad_stays_are_refused_naming_the_row_and_the_value() -> None:
    good = [str(d) for d in range(1, 41)]
    with_text = [*good[:10], "three", *good[10:]]
    with pytest.raises(InputError) as caught:
        check_stays(read_stays(_csv(with_text), "stays.csv"), "stays.csv")
    # the header is row 1, so the 11th stay is on row 12
    assert (caught.value.row, caught.value.file) == (12, "stays.csv")
    assert "'three'" in caught.value.message
    negative = [*good[:5], "-2", *good[5:]]
    with pytest.raises(InputError) as caught:
        check_stays(read_stays(_csv(negative), "stays.csv"))
    assert caught.value.row == 7 and "-2" in caught.value.message
    with pytest.raises(InputError) as caught:
        check_stays(read_stays(_csv(good[:29]), "stays.csv"))
    assert "at least 30" in caught.value.message and "has 29" in caught.value.message
    zero = ["0", *good]
    with pytest.raises(InputError) as caught:
        check_stays(read_stays(_csv(zero), "stays.csv"))
    assert caught.value.row == 2


def test_a_file_without_a_header_and_one_with_named_columns_are_read() -> None:
    plain = "\n".join(str(d) for d in range(1, 31)).encode()
    assert read_stays(plain, "a.csv")[0] == (1, "1")
    named = b"Person,Length of stay (days)\nA,4\nB,\nC,6\n"
    assert read_stays(named, "b.csv") == [(2, "4"), (4, "6")]  # a blank cell is no stay
    with pytest.raises(InputError) as caught:
        read_stays(b"Person,Ward\nA,4\n", "c.csv")
    assert caught.value.row == 1
