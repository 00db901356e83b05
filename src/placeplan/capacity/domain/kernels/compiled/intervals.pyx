# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""`statistics.Accumulator._interval`'s sums, compiled: one pass over the people instead of a
numpy pass (and a `bincount`) per month boundary. Each sum takes the same terms in the same
order as `numpy.bincount` does (people in index order, from 0.0), so the same sums bit for bit."""


def interval_sums(
    const double[::1] x,
    const double[::1] y,
    const Py_ssize_t[::1] rep,
    double T,
    const double[::1] inner,
    double[:, ::1] out,
) -> None:
    """out[r, j] (zeros on entry): the days of [x, y) (capped at T) before inner[j], summed over
    replication r's people; out[r, len(inner)]: their whole days."""
    cdef Py_ssize_t nb = inner.shape[0]
    cdef Py_ssize_t i, j, r
    cdef double xi, yi, b
    with nogil:
        for i in range(x.shape[0]):
            xi = x[i] if x[i] < T else T  # np.minimum(x, T) (no NaNs here)
            yi = y[i] if y[i] < T else T
            r = rep[i]
            for j in range(nb):
                b = inner[j]
                out[r, j] += (yi if yi < b else b) - (xi if xi < b else b)
            out[r, nb] += yi - xi
