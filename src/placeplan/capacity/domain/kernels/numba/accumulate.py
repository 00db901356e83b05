"""`statistics.Accumulator.add_block`'s sums over the people who waited, compiled: one pass over a
block instead of a numpy pass, a gather and a `bincount` per measure (about a dozen).

Every sum takes the same terms in the same order as the numpy code it replaces, so the same sums
bit for bit (tests/capacity/test_accumulate.py compares the two): a per-bin sum adds people in
flat index order from 0.0, as `numpy.bincount` does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.numba.compile import _compiled

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

# what `_waiters` adds to, per (replication, month-of-arrival) bin: rows of its `sums` argument
WAIT_SUM, WAITED, OVER2, EXT_WAITED, DRD_LATE, DRD_DAYS, INTERIM_N = range(7)
SUM_ROWS = 7


@_compiled
def _count_waiters(a: FloatArray, s: FloatArray) -> int:
    """How many people in the block waited (s - a > 0)."""
    B, R = a.shape
    n = 0
    for k in range(B):
        for r in range(R):
            if s[k, r] - a[k, r] > 0.0:
                n += 1
    return n


@_compiled
def _hist_bin(w: float, bins: int) -> int:
    """`statistics._hist_bin` for one wait, the same float operations in the same order."""
    b = w if w < 5.0 else 5.0
    b *= 100.0
    c = w - 5.0
    c = 0.0 if c < 0.0 else (95.0 if c > 95.0 else c)
    b += c * 4.0
    d = w - 100.0
    d = 0.0 if d < 0.0 else (1900.0 if d > 1900.0 else d)
    b += d / 5.0
    out = int(b) + 1
    return out if out < bins - 1 else bins - 1


@_compiled
def _waiters(
    a: FloatArray,
    s: FloatArray,
    external: BoolArray,
    has_external: bool,
    discharge: bool,
    arranging: FloatArray,
    has_arrange: bool,
    bounds: FloatArray,
    T: float,
    cap: float,
    sums: FloatArray,
    hist: NDArray[np.int32],
    hist_bins: int,
    acute: FloatArray,
    acute_rep: IntArray,
    interim: FloatArray,
    interim_rep: IntArray,
    counts: IntArray,
) -> None:
    """`Accumulator.add_block`'s sums over the people who waited, in flat (row, replication) order
    as `np.flatnonzero` finds them: into `sums` (SUM_ROWS, nb, R; zeros on entry, as one
    `bincount` each; laid out month by month so that a row's people, who arrived about the same
    time, add to neighbouring places) by their replication and month of arrival, and their
    histogram codes (replication * hist_bins + bin of the wait, for those arriving in the
    period) to `hist`, in order. With `has_arrange`, waiter i's time to arrange the interim is
    `arranging[i]`: the acute and interim intervals go to `acute` and `interim` (2, n) rows
    (x, y) with their replications. `counts`: how many acute, interim and histogram rows.

    One piece (about 85 lines): every sum reads the same waiter's few values in the same pass,
    compiled without reference counting; split, each part would read the block again."""
    B, R = a.shape
    n_bounds = bounds.shape[0]
    i = 0
    n_acute = 0
    n_interim = 0
    n_hist = 0
    for k in range(B):
        for r in range(R):
            wa = a[k, r]
            ws = s[k, r]
            if not ws - wa > 0.0:
                continue
            capped = ws if ws < cap else cap
            ww = capped - wa
            month = 0  # the number of bounds at or below the arrival
            while month < n_bounds and bounds[month] <= wa:
                month += 1
            sums[WAIT_SUM, month, r] += ww
            sums[WAITED, month, r] += 1.0
            if ww > 2.0:
                sums[OVER2, month, r] += 1.0
            ext = True
            if has_external:
                ext = external[k, r]
                if ext:
                    sums[EXT_WAITED, month, r] += 1.0
            if discharge:
                left_acute = capped
                if has_arrange:
                    until = wa + arranging[i]
                    left_acute = capped if capped < until else until
                    if ext:
                        acute[0, n_acute] = wa
                        acute[1, n_acute] = left_acute
                        acute_rep[n_acute] = r
                        n_acute += 1
                        if capped > left_acute:
                            interim[0, n_interim] = left_acute
                            interim[1, n_interim] = capped
                            interim_rep[n_interim] = r
                            n_interim += 1
                            sums[INTERIM_N, month, r] += 1.0
                late = np.floor(left_acute) - np.floor(wa)
                if not ext:
                    late *= 0.0
                if late > 0.0:
                    sums[DRD_LATE, month, r] += 1.0
                sums[DRD_DAYS, month, r] += late
            if wa >= 0.0 and wa < T:
                hist[n_hist] = r * hist_bins + _hist_bin(ww, hist_bins)
                n_hist += 1
            i += 1
    counts[0] = n_acute
    counts[1] = n_interim
    counts[2] = n_hist
