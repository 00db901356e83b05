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

The incomplete gamma and beta functions and their inverses are scipy's (`scipy.special`, the
Cephes and Boost implementations): a funnel of 150 areas needs some 760 inversions, which a
bisection in Python made a quarter of a second. Floats: these are statistics, not money.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy import special  # type: ignore[import-untyped]

LEVELS: dict[str, float] = {"95%": 0.05, "99.8%": 0.002}


def gamma_p(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x)."""
    return 0.0 if x <= 0 else float(special.gammainc(a, x))


def beta_i(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    return float(special.betainc(a, b, x))


def gamma_quantile(shape: float, q: float) -> float:
    """x with P(shape, x) = q: chi2(q; 2 shape) / 2."""
    return 0.0 if shape <= 0 else float(special.gammaincinv(shape, q))


def beta_quantile(a: float, b: float, q: float) -> float:
    if a <= 0:
        return 0.0
    if b <= 0:
        return 1.0
    return float(special.betaincinv(a, b, q))


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
