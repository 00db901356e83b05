"""Lengths of stay fitted to observed stays: lognormal and gamma by maximum likelihood, with
goodness of fit, in numpy and the standard library (scipy is not a dependency).

Methods (each a textbook one, so a reader can check them by hand):
- Lognormal: the maximum-likelihood estimates are closed-form, the mean and the standard deviation
  (divided by n, not n - 1) of the logarithms of the stays.
- Gamma: the shape k solves log k - digamma(k) = log(mean x) - mean(log x); Minka's starting
  value and his generalised Newton step on 1/k (T. P. Minka, "Estimating a Gamma distribution",
  Microsoft Research, 2002) converge in a few steps; the scale is mean x / k. Digamma and
  trigamma by recurrence up to 6 and their asymptotic series (Abramowitz and Stegun 6.3.18,
  6.4.12); the gamma CDF is the regularised lower incomplete gamma function, by its series below
  k + 1 and Lentz's continued fraction above (Numerical Recipes, 3rd edition, 6.2).
- Goodness of fit: the Kolmogorov-Smirnov statistic D (the largest gap between the observed and
  the fitted CDF) with its asymptotic p-value, Stephens' small-sample correction
  lambda = (sqrt n + 0.12 + 0.11 / sqrt n) D and Q(lambda) = 2 sum (-1)^(j-1) exp(-2 j^2 lambda^2)
  (M. A. Stephens, JRSS B 32, 1970; Numerical Recipes 14.3). The parameters are estimated from the
  same stays, so the p-value is conservative (Lilliefors 1967): a small one is a clear misfit, a
  large one is not proof of fit. AIC = 2 x 2 parameters - 2 log-likelihood ranks the two fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from placeplan.core.errors import InputError

FloatArray = NDArray[np.float64]

MIN_OBSERVATIONS = 30
KINDS = ("lognormal", "gamma")
NAMES = {"lognormal": "Lognormal", "gamma": "Gamma"}


@dataclass(frozen=True)
class Fit:
    """One distribution fitted to the stays: its own parameters, the mean and sd the scenario
    takes, and how well it fits."""

    kind: str
    parameters: dict[str, float]  # lognormal: mu, sigma (of log days); gamma: shape, scale
    mean: float
    sd: float
    log_likelihood: float
    aic: float
    ks_statistic: float
    ks_p_value: float

    def cdf(self, days: FloatArray) -> FloatArray:
        if self.kind == "lognormal":
            return lognormal_cdf(days, self.parameters["mu"], self.parameters["sigma"])
        return gamma_cdf(days, self.parameters["shape"], self.parameters["scale"])

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "parameters": self.parameters,
            "mean": self.mean,
            "sd": self.sd,
            "log_likelihood": self.log_likelihood,
            "aic": self.aic,
            "ks_statistic": self.ks_statistic,
            "ks_p_value": self.ks_p_value,
        }


@dataclass(frozen=True)
class Fitted:
    """Both fits of one set of observed stays."""

    observations: int
    observed_mean: float
    observed_sd: float
    fits: dict[str, Fit]

    @property
    def best(self) -> str:
        """The fit of lower AIC (the likelier, both having two parameters)."""
        return min(self.fits.values(), key=lambda f: f.aic).kind


def check_stays(values: list[tuple[int, str]], file: str | None = None) -> FloatArray:
    """Observed stays as (row number, text): numbers of days, every one more than 0, at least
    MIN_OBSERVATIONS of them; a refusal names the first bad row and its value. Sorted."""
    days = []
    for row, text in values:
        try:
            value = float(text.strip().replace(",", ""))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InputError(
                f"'{text.strip()}' is not a number of days", file=file, row=row, field="days"
            )
        if value < 0:
            raise InputError(
                f"a length of stay cannot be negative, got {text.strip()}",
                file=file,
                row=row,
                field="days",
            )
        if value == 0:
            raise InputError(
                "a length of stay of 0 days cannot be fitted by a lognormal or a gamma"
                " distribution: record a same-day stay as a part of a day, such as 0.5",
                file=file,
                row=row,
                field="days",
            )
        days.append(value)
    if len(days) < MIN_OBSERVATIONS:
        raise InputError(
            f"a fit needs at least {MIN_OBSERVATIONS} observed stays; the file has {len(days)}",
            file=file,
            field="days",
        )
    return np.sort(np.asarray(days, dtype=np.float64))


def fit_stays(days: FloatArray) -> Fitted:
    """Fit lognormal and gamma to observed stays (checked by `check_stays`)."""
    x = np.sort(np.asarray(days, dtype=np.float64))
    return Fitted(
        len(x),
        float(x.mean()),
        float(x.std()),
        {"lognormal": fit_lognormal(x), "gamma": fit_gamma(x)},
    )


def fit_lognormal(x: FloatArray) -> Fit:
    logs = np.log(x)
    mu, sigma = float(logs.mean()), float(logs.std())
    n = len(x)
    ll = -float(logs.sum()) - n * math.log(sigma) - n / 2 * math.log(2 * math.pi) - n / 2
    mean = math.exp(mu + sigma**2 / 2)
    sd = mean * math.sqrt(math.expm1(sigma**2))
    fit = Fit("lognormal", {"mu": mu, "sigma": sigma}, mean, sd, ll, 4 - 2 * ll, 0.0, 1.0)
    return _with_ks(fit, x)


def fit_gamma(x: FloatArray) -> Fit:
    mean_x, mean_log = float(x.mean()), float(np.log(x).mean())
    s = math.log(mean_x) - mean_log  # > 0 unless every stay is the same (Jensen)
    if s <= 1e-12:
        raise InputError(
            "every observed stay is the same length: there is no spread to fit", field="days"
        )
    k = (3 - s + math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)
    for _ in range(100):
        step = (mean_log - math.log(mean_x) + math.log(k) - digamma(k)) / (
            k * k * (1 / k - trigamma(k))
        )
        k_new = 1 / (1 / k + step)
        done = abs(k_new - k) <= 1e-12 * k
        k = k_new
        if done:
            break
    scale = mean_x / k
    n = len(x)
    ll = n * ((k - 1) * mean_log - mean_x / scale - k * math.log(scale) - math.lgamma(k))
    fit = Fit(
        "gamma",
        {"shape": k, "scale": scale},
        k * scale,
        math.sqrt(k) * scale,
        ll,
        4 - 2 * ll,
        0.0,
        1.0,
    )
    return _with_ks(fit, x)


def _with_ks(fit: Fit, x: FloatArray) -> Fit:
    d = ks_statistic(x, fit.cdf(x))
    return Fit(
        fit.kind,
        fit.parameters,
        fit.mean,
        fit.sd,
        fit.log_likelihood,
        fit.aic,
        d,
        ks_p_value(d, len(x)),
    )


def ks_statistic(sorted_x: FloatArray, fitted: FloatArray) -> float:
    """The largest gap between the empirical CDF of `sorted_x` and the fitted CDF at it."""
    n = len(sorted_x)
    i = np.arange(1, n + 1)
    return float(max((i / n - fitted).max(), (fitted - (i - 1) / n).max()))


def ks_p_value(d: float, n: int) -> float:
    """P(D > d) for n observations: Stephens' corrected asymptotic Kolmogorov distribution."""
    root = math.sqrt(n)
    lam = (root + 0.12 + 0.11 / root) * d
    if lam < 1e-3:
        return 1.0
    total = 0.0
    for j in range(1, 101):
        term = 2 * (-1) ** (j - 1) * math.exp(-2 * j * j * lam * lam)
        total += term
        if abs(term) < 1e-12:
            break
    return min(1.0, max(0.0, total))


def empirical_cdf(sorted_x: FloatArray, days: FloatArray) -> FloatArray:
    """The share of observed stays of at most each of `days`."""
    return np.searchsorted(sorted_x, days, side="right") / len(sorted_x)


# ---- special functions


def lognormal_cdf(days: FloatArray, mu: float, sigma: float) -> FloatArray:
    x = np.asarray(days, dtype=np.float64)
    out = np.zeros_like(x)
    pos = x > 0
    z = (np.log(x[pos]) - mu) / (sigma * math.sqrt(2))
    out[pos] = [0.5 * math.erfc(-v) for v in z]
    return out


def gamma_cdf(days: FloatArray, shape: float, scale: float) -> FloatArray:
    x = np.asarray(days, dtype=np.float64)
    return np.array([regularised_gamma(shape, v / scale) if v > 0 else 0.0 for v in x])


def regularised_gamma(a: float, x: float) -> float:
    """P(a, x), the regularised lower incomplete gamma function."""
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        ap = a
        for _ in range(1000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return max(0.0, 1 - math.exp(log_front) * h)


def digamma(x: float) -> float:
    total = 0.0
    while x < 6:
        total -= 1 / x
        x += 1
    inv2 = 1 / (x * x)
    series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    return total + math.log(x) - 0.5 / x - series


def trigamma(x: float) -> float:
    total = 0.0
    while x < 6:
        total += 1 / (x * x)
        x += 1
    inv = 1 / x
    inv2 = inv * inv
    series = inv + inv2 / 2 + inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 / 30)))
    return total + series
