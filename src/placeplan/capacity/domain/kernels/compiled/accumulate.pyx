# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""`statistics.Accumulator.add_block`'s sums over the people who waited, compiled: one pass over a
block instead of a numpy pass, a gather and a `bincount` per measure (about a dozen).

Every sum takes the same terms in the same order as the numpy code it replaces, so the same sums
bit for bit (tests/capacity/test_accumulate.py compares the two): a per-bin sum adds people in
flat index order from 0.0, as `numpy.bincount` does.
"""

from libc.math cimport floor
from libc.stdint cimport int32_t

# what `waiters` adds to, per (replication, month-of-arrival) bin: rows of its `sums` argument
cdef enum:
    _WAIT_SUM, _WAITED, _OVER2, _EXT_WAITED, _DRD_LATE, _DRD_DAYS, _INTERIM_N, _SUM_ROWS
SUM_ROWS = _SUM_ROWS


def count_waiters(const double[:, ::1] a, const double[:, ::1] s) -> int:
    """How many people in the block waited (s - a > 0)."""
    cdef Py_ssize_t k, r
    cdef Py_ssize_t n = 0
    with nogil:
        for k in range(a.shape[0]):
            for r in range(a.shape[1]):
                if s[k, r] - a[k, r] > 0.0:
                    n += 1
    return n


cdef inline Py_ssize_t _hist_bin(double w, Py_ssize_t bins) noexcept nogil:
    """`statistics._hist_bin` for one wait, the same float operations in the same order."""
    cdef double b = w if w < 5.0 else 5.0
    b *= 100.0
    cdef double c = w - 5.0
    c = 0.0 if c < 0.0 else (95.0 if c > 95.0 else c)
    b += c * 4.0
    cdef double d = w - 100.0
    d = 0.0 if d < 0.0 else (1900.0 if d > 1900.0 else d)
    b += d / 5.0
    cdef Py_ssize_t out = <Py_ssize_t>b + 1
    return out if out < bins - 1 else bins - 1


def waiters(
    const double[:, ::1] a,
    const double[:, ::1] s,
    const unsigned char[:, ::1] external,
    bint has_external,
    bint discharge,
    const double[::1] arranging,
    bint has_arrange,
    const double[::1] bounds,
    double T,
    double cap,
    double[:, :, ::1] sums,
    int32_t[::1] hist,
    Py_ssize_t hist_bins,
    double[:, ::1] acute,
    Py_ssize_t[::1] acute_rep,
    double[:, ::1] interim,
    Py_ssize_t[::1] interim_rep,
    Py_ssize_t[::1] counts,
) -> None:
    """`Accumulator.add_block`'s sums over the people who waited, in flat (row, replication) order
    as `np.flatnonzero` finds them: into `sums` (SUM_ROWS, nb, R; zeros on entry, as one
    `bincount` each; laid out month by month so that a row's people, who arrived about the same
    time, add to neighbouring places) by their replication and month of arrival, and their
    histogram codes (replication * hist_bins + bin of the wait, for those arriving in the
    period) to `hist`, in order. With `has_arrange`, waiter i's time to arrange the interim is
    `arranging[i]`: the acute and interim intervals go to `acute` and `interim` (2, n) rows
    (x, y) with their replications. `counts`: how many acute, interim and histogram rows.

    One piece: every sum reads the same waiter's few values in the same pass; split, each part
    would read the block again."""
    cdef Py_ssize_t B = a.shape[0]
    cdef Py_ssize_t R = a.shape[1]
    cdef Py_ssize_t n_bounds = bounds.shape[0]
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t n_acute = 0
    cdef Py_ssize_t n_interim = 0
    cdef Py_ssize_t n_hist = 0
    cdef Py_ssize_t k, r, month
    cdef double wa, ws, capped, ww, left_acute, until, late
    cdef bint ext
    with nogil:
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
                sums[_WAIT_SUM, month, r] += ww
                sums[_WAITED, month, r] += 1.0
                if ww > 2.0:
                    sums[_OVER2, month, r] += 1.0
                ext = True
                if has_external:
                    ext = external[k, r]
                    if ext:
                        sums[_EXT_WAITED, month, r] += 1.0
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
                                sums[_INTERIM_N, month, r] += 1.0
                    late = floor(left_acute) - floor(wa)
                    if not ext:
                        late *= 0.0
                    if late > 0.0:
                        sums[_DRD_LATE, month, r] += 1.0
                    sums[_DRD_DAYS, month, r] += late
                if wa >= 0.0 and wa < T:
                    hist[n_hist] = <int32_t>(r * hist_bins + _hist_bin(ww, hist_bins))
                    n_hist += 1
                i += 1
    counts[0] = n_acute
    counts[1] = n_interim
    counts[2] = n_hist
