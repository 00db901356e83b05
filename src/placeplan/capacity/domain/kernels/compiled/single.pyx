# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The fast path's block loop (`kernels.single.run_single`), compiled: one replication at a time,
its places' packed keys in a binary min-heap, so each arrival costs a sift of log2(c) steps
rather than a `minimum.reduce` over all c places. The same integer keys and the same float
operations (start = max(arrival, free time), key = bits of start + stay with the place in the low
bits), so the same starts bit for bit; used when the service's capacity never changes (no month
closures to cross)."""

from libc.stdint cimport INT64_MAX, int64_t
from libc.string cimport memcpy


cdef inline double _bits_as_float(int64_t x) noexcept nogil:
    cdef double d
    memcpy(&d, &x, 8)
    return d


cdef inline int64_t _float_as_bits(double x) noexcept nogil:
    cdef int64_t i
    memcpy(&i, &x, 8)
    return i


cdef inline void _sift_down(int64_t* heap, Py_ssize_t c, Py_ssize_t h) noexcept nogil:
    cdef int64_t item = heap[h]
    cdef Py_ssize_t child
    while True:
        child = 2 * h + 1
        if child >= c:
            break
        if child + 1 < c and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= item:
            break
        heap[h] = heap[child]
        h = child
    heap[h] = item


cdef inline void _replace_top(int64_t* heap, Py_ssize_t c, int64_t item) noexcept nogil:
    """Put `item` in place of the heap's top, bottom-up (Floyd): the hole goes down the smaller
    child to a leaf, one comparison a level and no test against `item`, then `item` climbs back
    up, rarely far (a new free time is usually later than most). `heap[c]` holds the largest
    int64, so a last left child's missing sibling is never the smaller. Keys are distinct (each
    holds its place's index), so the heap's top, and so every start, is as with `_sift_down`."""
    cdef Py_ssize_t h = 0
    cdef Py_ssize_t child, parent
    while True:
        child = 2 * h + 1
        if child >= c:
            break
        child += heap[child + 1] < heap[child]
        heap[h] = heap[child]
        h = child
    while h > 0:
        parent = (h - 1) // 2
        if heap[parent] < item:
            break
        heap[h] = heap[parent]
        h = parent
    heap[h] = item


cdef void _block(
    int64_t* K, Py_ssize_t c, Py_ssize_t R, const double* shifted, const double* stays,
    double* starts, Py_ssize_t B, int64_t mask, int64_t keep, int64_t* heap,
    Py_ssize_t r_begin, Py_ssize_t r_end
) noexcept nogil:
    cdef Py_ssize_t r, j, h, k
    cdef int64_t m, place, key
    cdef double free, a, st
    heap[c] = INT64_MAX
    for r in range(r_begin, r_end):
        for j in range(c):
            heap[j] = K[j * R + r]
        for h in range(c // 2 - 1, -1, -1):
            _sift_down(heap, c, h)
        for k in range(B):
            m = heap[0]
            place = m & mask
            free = _bits_as_float(m & keep)
            a = shifted[k * R + r]
            st = a if a >= free else free  # np.maximum (no NaNs here)
            starts[k * R + r] = st
            _replace_top(heap, c, (_float_as_bits(st + stays[k * R + r]) & keep) | place)
        for j in range(c):
            key = heap[j]
            K[(key & mask) * R + r] = key


def single_block(
    int64_t[:, ::1] K,
    const double[:, ::1] shifted,
    const double[:, ::1] stays,
    double[:, ::1] starts,
    int64_t mask,
    int64_t keep,
    int64_t[::1] heap,
    Py_ssize_t r_begin,
    Py_ssize_t r_end,
) -> None:
    """`run_single`'s loop for one block, replications r_begin .. r_end - 1: starts (shifted
    time) into `starts`, and each place's new key back into K (row = the place, from the key's
    low bits), as the numpy loop leaves it. `heap`: c + 1 keys of scratch. Releases the GIL, so
    two calls with their own `heap` may share the arrays on two threads (replications are
    columns of their own)."""
    cdef Py_ssize_t c = K.shape[0]
    cdef Py_ssize_t R = K.shape[1]
    cdef Py_ssize_t B = shifted.shape[0]
    if B == 0 or r_begin >= r_end:
        return
    with nogil:
        _block(&K[0, 0], c, R, &shifted[0, 0], &stays[0, 0], &starts[0, 0], B, mask, keep,
               &heap[0], r_begin, min(r_end, R))
