"""95% confidence intervals the way OHID (formerly PHE) computes them for Fingertips.

- Proportions: Wilson's score interval (PHE Technical Guide, "Confidence intervals"; the
  PHEindicatormethods package's `phe_proportion`).
- Counts and crude rates: below 10 events the exact Poisson interval (the chi-squared method:
  lower = chi2(0.025, 2O) / 2, upper = chi2(0.975, 2O + 2) / 2), from 10 events Byar's
  approximation to it, as the PHE Technical Guide ("Confidence intervals for rates") and
  PHEindicatormethods' `phe_rate` do. Byar's is poor below 10 (1 event in 1,000 people would read
  1.31 to 556.38 per 100,000 against the exact 2.53 to 557.16), and signed-in readers see such
  figures. The chi-squared quantiles with even degrees of freedom are Poisson tail probabilities,
  so the exact limits are found from the Poisson distribution itself, without a statistics
  library.
- Directly standardised rates: Dobson's method, in `placeplan.measures.domain.standardise`.

Statistics, not money: floats throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float
    method: str


def wilson(numerator: float, denominator: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion numerator / denominator, as fractions."""
    if denominator <= 0:
        raise ValueError("a proportion needs a denominator above zero")
    if not 0 <= numerator <= denominator:
        raise ValueError("a proportion's numerator must lie between 0 and its denominator")
    o, n = float(numerator), float(denominator)
    spread = z * math.sqrt(z * z + 4 * o * (1 - o / n))
    return (
        (2 * o + z * z - spread) / (2 * (n + z * z)),
        (2 * o + z * z + spread) / (2 * (n + z * z)),
    )


def byars_lower(count: float, z: float = Z95) -> float:
    if count < 0:
        raise ValueError("a count cannot be negative")
    if count == 0:
        return 0.0
    return count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3


def byars_upper(count: float, z: float = Z95) -> float:
    if count < 0:
        raise ValueError("a count cannot be negative")
    o = count + 1
    return o * (1 - 1 / (9 * o) + z / (3 * math.sqrt(o))) ** 3


EXACT_BELOW = 10
EXACT = "exact Poisson (chi-squared)"
BYARS = "Byar's approximation to the exact Poisson"


def _poisson_cdf(count: int, mean: float) -> float:
    """P(X <= count) for X Poisson with `mean`."""
    term = total = math.exp(-mean)
    for k in range(1, count + 1):
        term *= mean / k
        total += term
    return total


def _solve(count: int, tail: float) -> float:
    """The Poisson mean at which P(X <= count) equals `tail`, by bisection (the cdf falls as the
    mean rises); to the last bit of a float."""
    low, high = 0.0, count + 50.0
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _poisson_cdf(count, middle) > tail:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def exact_lower(count: int, confidence: float = 0.95) -> float:
    """chi2((1 - confidence) / 2, 2 count) / 2: the mean at which P(X >= count) = 2.5%."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    if count == 0:
        return 0.0
    return _solve(count - 1, 1 - (1 - confidence) / 2)


def exact_upper(count: int, confidence: float = 0.95) -> float:
    """chi2(1 - (1 - confidence) / 2, 2 count + 2) / 2: the mean at which P(X <= count) = 2.5%."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    return _solve(count, (1 - confidence) / 2)


def count_interval(count: float) -> Interval:
    """The 95% interval of a Poisson count: exact below 10 events, Byar's from 10."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    if count < EXACT_BELOW and float(count).is_integer():
        return Interval(exact_lower(int(count)), exact_upper(int(count)), EXACT)
    return Interval(byars_lower(count), byars_upper(count), BYARS)


def proportion_interval(numerator: float, denominator: float, scale: float = 100) -> Interval:
    low, high = wilson(numerator, denominator)
    return Interval(low * scale, high * scale, "Wilson score")


def rate_interval(count: float, denominator: float, per: float = 100_000) -> Interval:
    if denominator <= 0:
        raise ValueError("a rate needs a denominator above zero")
    limits = count_interval(count)
    return Interval(
        limits.lower / denominator * per, limits.upper / denominator * per, limits.method
    )
