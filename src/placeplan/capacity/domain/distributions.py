"""Lengths of stay (or of care): exponential, lognormal, gamma, fixed or empirical.

Lognormal and gamma are given by their mean and standard deviation, the way services report them.
Every distribution draws into numpy arrays from a `numpy.random.Generator`, so runs are seeded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from placeplan.core.errors import InputError

FloatArray = NDArray[np.float64]

KINDS = ("exponential", "lognormal", "gamma", "fixed", "empirical")


@dataclass(frozen=True)
class Distribution:
    """A length-of-stay distribution in days."""

    kind: str
    mean: float
    sd: float = 0.0
    values: tuple[float, ...] = field(default=())

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> FloatArray:
        """Draw independent stays of the given shape."""
        if self.kind == "exponential":
            return rng.exponential(self.mean, shape)
        if self.kind == "lognormal":
            # float32 normals are about twice as fast; a stay is exact to about 1e-7 of itself
            sigma2 = math.log1p((self.sd / self.mean) ** 2)
            z = rng.standard_normal(shape, dtype=np.float32)
            z *= np.float32(math.sqrt(sigma2))
            z += np.float32(math.log(self.mean) - sigma2 / 2.0)
            return np.exp(z).astype(np.float64)
        if self.kind == "gamma":
            shape_k = (self.mean / self.sd) ** 2
            return rng.gamma(shape_k, self.sd**2 / self.mean, shape)
        if self.kind == "fixed":
            return np.full(shape, self.mean)
        pool = np.asarray(self.values, dtype=np.float64)
        return pool[rng.integers(0, len(pool), shape)]

    def sample_residual(self, rng: np.random.Generator, shape: tuple[int, ...]) -> FloatArray:
        """Remaining stay of someone found in service at a random moment (length-biased)."""
        if self.kind == "exponential":
            return rng.exponential(self.mean, shape)
        pool = self.sample(rng, (4096,))
        weights = pool / pool.sum()
        chosen = rng.choice(pool, size=shape, p=weights)
        return np.asarray(chosen * rng.random(shape), dtype=np.float64)

    def describe(self) -> str:
        if self.kind in ("lognormal", "gamma"):
            return f"{self.kind} (mean {self.mean:g}, sd {self.sd:g} days)"
        if self.kind == "empirical":
            return f"empirical ({len(self.values)} values, mean {self.mean:.3g} days)"
        return f"{self.kind} (mean {self.mean:g} days)"


def parse_distribution(spec: dict[str, Any], where: str, file: str | None = None) -> Distribution:
    """Build a distribution from a scenario's `length_of_stay` mapping, naming the field if wrong."""
    kind = spec.get("distribution")
    if kind not in KINDS:
        raise InputError(
            f"distribution must be one of {', '.join(KINDS)}",
            field=f"{where}.distribution",
            file=file,
        )
    if kind == "empirical":
        days = spec.get("days")
        if not isinstance(days, list) or not days:
            raise InputError(
                "an empirical distribution needs a non-empty list of days",
                field=f"{where}.days",
                file=file,
            )
        values = tuple(float(v) for v in days)
        for i, v in enumerate(values):
            if not math.isfinite(v) or v < 0:
                raise InputError(
                    f"lengths of stay must be at least 0 days, got {v:g}",
                    field=f"{where}.days[{i}]",
                    file=file,
                )
        mean = sum(values) / len(values)
        if mean <= 0:
            raise InputError(
                "an empirical distribution needs at least one stay longer than 0 days",
                field=f"{where}.days",
                file=file,
            )
        return Distribution("empirical", mean, float(np.std(values)), values)
    mean = _positive(spec.get("mean"), f"{where}.mean", file)
    if kind in ("lognormal", "gamma"):
        sd = _positive(spec.get("sd"), f"{where}.sd", file)
        return Distribution(kind, mean, sd)
    if "sd" in spec and kind != "exponential":
        raise InputError(f"a {kind} distribution takes no sd", field=f"{where}.sd", file=file)
    return Distribution(kind, mean, mean if kind == "exponential" else 0.0)


def _positive(value: Any, where: str, file: str | None) -> float:
    if value is None:
        raise InputError("is required", field=where, file=file)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError("must be a number", field=where, file=file)
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise InputError(f"must be more than 0, got {number:g}", field=where, file=file)
    return number
