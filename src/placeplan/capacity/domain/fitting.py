"""Lengths of stay fitted to observed stays: lognormal and gamma by maximum likelihood, with
goodness of fit, in numpy with SciPy's special functions.

Methods (each a textbook one, so a reader can check them by hand):
- Lognormal: the maximum-likelihood estimates are closed-form, the mean and the standard deviation
  (divided by n, not n - 1) of the logarithms of the stays.
- Gamma: the shape k solves log k - digamma(k) = log(mean x) - mean(log x); Minka's starting
  value and his generalised Newton step on 1/k (T. P. Minka, "Estimating a Gamma distribution",
  Microsoft Research, 2002) converge in a few steps; the scale is mean x / k. Digamma,
  trigamma, the regularised lower incomplete gamma function (the gamma CDF), the normal CDF (the
  lognormal's) and Kolmogorov's limiting distribution come from `scipy.special`.
- Goodness of fit: the Kolmogorov-Smirnov statistic D (the largest gap between the observed and
  the fitted CDF) with its asymptotic p-value, Stephens' small-sample correction
  lambda = (sqrt n + 0.12 + 0.11 / sqrt n) D and Q(lambda) = 2 sum (-1)^(j-1) exp(-2 j^2 lambda^2),
  SciPy's `kolmogorov`
  (M. A. Stephens, JRSS B 32, 1970; Numerical Recipes 14.3). The parameters are estimated from the
  same stays, so the p-value is conservative (Lilliefors 1967): a small one is a clear misfit, a
  large one is not proof of fit. AIC = 2 x 2 parameters - 2 log-likelihood ranks the two fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special  # type: ignore[import-untyped]

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
    return float(min(1.0, max(0.0, special.kolmogorov(lam))))


def empirical_cdf(sorted_x: FloatArray, days: FloatArray) -> FloatArray:
    """The share of observed stays of at most each of `days`."""
    return np.searchsorted(sorted_x, days, side="right") / len(sorted_x)


# ---- special functions


def lognormal_cdf(days: FloatArray, mu: float, sigma: float) -> FloatArray:
    x = np.asarray(days, dtype=np.float64)
    out = np.zeros_like(x)
    pos = x > 0
    out[pos] = special.ndtr((np.log(x[pos]) - mu) / sigma)
    return out


def gamma_cdf(days: FloatArray, shape: float, scale: float) -> FloatArray:
    x = np.asarray(days, dtype=np.float64)
    return np.where(x > 0, special.gammainc(shape, np.maximum(x, 0.0) / scale), 0.0)


def regularised_gamma(a: float, x: float) -> float:
    """P(a, x), the regularised lower incomplete gamma function."""
    return float(special.gammainc(a, x)) if x > 0 else 0.0


def digamma(x: float) -> float:
    return float(special.digamma(x))


def trigamma(x: float) -> float:
    return float(special.polygamma(1, x))
