"""`statistics.Accumulator._interval`'s sums, compiled: one pass over the people instead of a
numpy pass (and a `bincount`) per month boundary. Each sum takes the same terms in the same
order as `numpy.bincount` does (people in index order, from 0.0), so the same sums bit for bit."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.numba.compile import _compiled

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@_compiled
def _interval_sums(
    x: FloatArray, y: FloatArray, rep: IntArray, T: float, inner: FloatArray, out: FloatArray
) -> None:
    """out[r, j] (zeros on entry): the days of [x, y) (capped at T) before inner[j], summed over
    replication r's people; out[r, len(inner)]: their whole days."""
    nb = inner.shape[0]
    for i in range(x.shape[0]):
        xi = x[i] if x[i] < T else T  # np.minimum(x, T) (no NaNs here)
        yi = y[i] if y[i] < T else T
        r = rep[i]
        for j in range(nb):
            b = inner[j]
            out[r, j] += (yi if yi < b else b) - (xi if xi < b else b)
        out[r, nb] += yi - xi
