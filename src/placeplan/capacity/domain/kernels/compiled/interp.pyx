# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Arrival times from a unit-rate process (`arrivals.ArrivalStream.blocks`), compiled: numpy's
`interp` through the inverse cumulative rate, a column (one replication's arrivals, rising) at a
time, walking the knots instead of a binary search for every value. The same knot for each value
(the last at or below it) and the same float operations as `numpy.interp`, so the same times
bit for bit."""

from libc.math cimport isnan


def interp_columns(
    const double[:, ::1] x,
    const double[::1] xp,
    const double[::1] fp,
    double beyond,
    double pad,
    double[:, ::1] out,
) -> None:
    """out = numpy.interp(x, xp, fp), with `pad` where x >= `beyond`. Each column of x rises."""
    cdef Py_ssize_t B = x.shape[0]
    cdef Py_ssize_t R = x.shape[1]
    cdef Py_ssize_t n = xp.shape[0]
    cdef Py_ssize_t r, k, j, lo, hi, mid
    cdef double v, slope, res
    if B == 0:
        return
    with nogil:
        for r in range(R):
            # the first value's knot by bisection (numpy's: the last knot at or below it), then
            # a walk down the column
            v = x[0, r]
            lo = 0
            hi = n
            while lo < hi:
                mid = lo + ((hi - lo) >> 1)
                if v >= xp[mid]:
                    lo = mid + 1
                else:
                    hi = mid
            j = lo - 1
            for k in range(B):
                v = x[k, r]
                if v >= beyond:
                    out[k, r] = pad
                    continue
                while j + 1 < n and xp[j + 1] <= v:
                    j += 1
                if j < 0:
                    res = fp[0]
                elif j >= n - 1:
                    res = fp[n - 1]
                elif xp[j] == v:
                    res = fp[j]
                else:
                    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
                    res = slope * (v - xp[j]) + fp[j]
                    if isnan(res):  # as numpy: from the other end, then the flat value
                        res = slope * (v - xp[j + 1]) + fp[j + 1]
                        if isnan(res) and fp[j] == fp[j + 1]:
                            res = fp[j]
                out[k, r] = res
