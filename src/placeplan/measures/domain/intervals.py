"""95% confidence intervals the way OHID (formerly PHE) computes them for Fingertips.

- Proportions: Wilson's score interval (PHE Technical Guide, "Confidence intervals"; the
  PHEindicatormethods package's `phe_proportion`).
- Counts and crude rates: Byar's approximation to the exact Poisson interval (the same guide;
  `phe_rate`). Byar's is poor below about 10 events, but such figures are suppressed on published
  pages, so the approximation is never shown where it is weak.
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


def proportion_interval(numerator: float, denominator: float, scale: float = 100) -> Interval:
    low, high = wilson(numerator, denominator)
    return Interval(low * scale, high * scale, "Wilson score")


def rate_interval(count: float, denominator: float, per: float = 100_000) -> Interval:
    if denominator <= 0:
        raise ValueError("a rate needs a denominator above zero")
    return Interval(
        byars_lower(count) / denominator * per,
        byars_upper(count) / denominator * per,
        "Byar's approximation to the exact Poisson",
    )
