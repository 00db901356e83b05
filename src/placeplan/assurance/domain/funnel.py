"""Funnel plot control limits as OHID's Fingertips (and PHE's funnel plot tools) draw them: around
the comparator (England's, or the scope's, overall rate) at each population size, exact limits at
95% and 99.8%.

- Counts over a population (rates, mean days per discharge): exact Poisson limits from the
  chi-squared distribution, lower = chi2(a/2; 2E) / 2 and upper = chi2(1 - a/2; 2E + 2) / 2 for the
  expected count E (APHO Technical Briefing 3, "Commonly used public health statistics and their
  confidence intervals", 2008; Spiegelhalter, "Funnel plots for comparing institutional
  performance", Statistics in Medicine 24, 2005). chi2(q; 2k) / 2 is the gamma quantile of shape k.
- Proportions: exact binomial (Clopper-Pearson) limits from the beta distribution, lower =
  beta(a/2; E, n - E + 1) and upper = beta(1 - a/2; E + 1, n - E).

Pure Python: the regularised incomplete gamma and beta functions (series and continued fractions,
as Numerical Recipes gives them), inverted by bisection. Floats: these are statistics, not money.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LEVELS: dict[str, float] = {"95%": 0.05, "99.8%": 0.002}
_EPS = 1e-14
_ITERATIONS = 500


def _gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    n = a
    for _ in range(_ITERATIONS):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_fraction(a: float, x: float) -> float:
    """Q(a, x) by Lentz's continued fraction (x >= a + 1)."""
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, _ITERATIONS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def gamma_p(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x)."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        return _gamma_series(a, x)
    return 1.0 - _gamma_fraction(a, x)


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1 / d
    h = d
    for m in range(1, _ITERATIONS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return h


def beta_i(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1 - x) / b


def _invert(cdf: object, q: float, low: float, high: float) -> float:
    assert callable(cdf)
    while cdf(high) < q:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if cdf(mid) < q:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def gamma_quantile(shape: float, q: float) -> float:
    """x with P(shape, x) = q: chi2(q; 2 shape) / 2."""
    if shape <= 0:
        return 0.0
    return _invert(lambda x: gamma_p(shape, x), q, 0.0, shape + 10 * math.sqrt(shape) + 10)


def beta_quantile(a: float, b: float, q: float) -> float:
    if a <= 0:
        return 0.0
    if b <= 0:
        return 1.0
    return _invert(lambda x: beta_i(a, b, x), q, 0.0, 1.0)


def poisson_limits(expected: float, alpha: float) -> tuple[float, float]:
    """Exact Poisson limits (counts) around an expected count."""
    return gamma_quantile(expected, alpha / 2), gamma_quantile(expected + 1, 1 - alpha / 2)


def binomial_limits(expected: float, n: float, alpha: float) -> tuple[float, float]:
    """Exact binomial (Clopper-Pearson) limits (proportions) around an expected count of n."""
    return (
        beta_quantile(expected, n - expected + 1, alpha / 2),
        beta_quantile(expected + 1, n - expected, 1 - alpha / 2),
    )


@dataclass(frozen=True)
class Point:
    name: str
    count: float
    size: float  # the population (or discharges, or people in the cohort)
    value: float  # count / size x multiplier
    band: str  # within 95% | 95% to 99.8% above/below | beyond 99.8% above/below


@dataclass(frozen=True)
class Limit:
    size: float
    low_95: float
    high_95: float
    low_998: float
    high_998: float


@dataclass(frozen=True)
class Funnel:
    comparator: float  # the overall rate, x multiplier
    points: list[Point]
    limits: list[Limit]
    method: str  # "poisson" | "binomial"


def _limits_at(size: float, rate: float, method: str, multiplier: float) -> Limit:
    expected = rate * size
    found = []
    for alpha in (LEVELS["95%"], LEVELS["99.8%"]):
        if method == "binomial":
            low, high = binomial_limits(expected, size, alpha)
            found += [low * multiplier, high * multiplier]
        else:
            low, high = poisson_limits(expected, alpha)
            found += [low / size * multiplier, high / size * multiplier]
    return Limit(size, *found)


def band(value: float, limit: Limit) -> str:
    if value > limit.high_998:
        return "beyond 99.8% above"
    if value < limit.low_998:
        return "beyond 99.8% below"
    if value > limit.high_95:
        return "95% to 99.8% above"
    if value < limit.low_95:
        return "95% to 99.8% below"
    return "within 95%"


def funnel(
    observed: list[tuple[str, float, float]], method: str, multiplier: float, steps: int = 40
) -> Funnel:
    """`observed`: (name, count, size) per area, size > 0. The comparator is the pooled rate
    (sum of counts over sum of sizes), as Fingertips compares each area with England's value."""
    usable = [(name, c, n) for name, c, n in observed if n > 0]
    if not usable:
        return Funnel(0.0, [], [], method)
    rate = sum(c for _, c, _ in usable) / sum(n for _, _, n in usable)
    points = [
        Point(
            name,
            c,
            n,
            c / n * multiplier,
            band(c / n * multiplier, _limits_at(n, rate, method, multiplier)),
        )
        for name, c, n in usable
    ]
    smallest = min(n for _, _, n in usable) * 0.8
    largest = max(n for _, _, n in usable) * 1.1
    ratio = (largest / smallest) ** (1 / (steps - 1))
    sizes = [smallest * ratio**i for i in range(steps)]
    return Funnel(
        rate * multiplier,
        sorted(points, key=lambda p: p.size),
        [_limits_at(n, rate, method, multiplier) for n in sizes],
        method,
    )
