# cython: language_level=3
"""Indexed binary heaps keyed by (time, index): a heap's top is exactly numpy's `argmin` over the
same values (the first of equal times). Each service's places and each routed queue keep one,
laid out at an offset in a shared flat array. Inline C, for the joint loop (`loop.pyx`)."""


cdef inline bint _less(double* val, Py_ssize_t off, Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    cdef double va = val[off + a]
    cdef double vb = val[off + b]
    return va < vb or (va == vb and a < b)


cdef inline void _sift_down(
    double* val, Py_ssize_t* heap, Py_ssize_t* where, Py_ssize_t off, Py_ssize_t m, Py_ssize_t h
) noexcept nogil:
    cdef Py_ssize_t item = heap[off + h]
    cdef Py_ssize_t c, child
    while True:
        c = 2 * h + 1
        if c >= m:
            break
        if c + 1 < m and _less(val, off, heap[off + c + 1], heap[off + c]):
            c += 1
        child = heap[off + c]
        if _less(val, off, child, item):
            heap[off + h] = child
            where[off + child] = h
            h = c
        else:
            break
    heap[off + h] = item
    where[off + item] = h


cdef inline void _sift_up(
    double* val, Py_ssize_t* heap, Py_ssize_t* where, Py_ssize_t off, Py_ssize_t h
) noexcept nogil:
    cdef Py_ssize_t item = heap[off + h]
    cdef Py_ssize_t p, parent
    while h > 0:
        p = (h - 1) // 2
        parent = heap[off + p]
        if _less(val, off, item, parent):
            heap[off + h] = parent
            where[off + parent] = h
            h = p
        else:
            break
    heap[off + h] = item
    where[off + item] = h


cdef inline void _heap_build(
    double* val, Py_ssize_t* heap, Py_ssize_t* where, Py_ssize_t off, Py_ssize_t m
) noexcept nogil:
    cdef Py_ssize_t h
    for h in range(m):
        heap[off + h] = h
        where[off + h] = h
    for h in range(m // 2 - 1, -1, -1):
        _sift_down(val, heap, where, off, m, h)


cdef inline void _set(
    double* val, Py_ssize_t* heap, Py_ssize_t* where, Py_ssize_t off, Py_ssize_t m, Py_ssize_t i,
    double x
) noexcept nogil:
    """val[off + i] = x, keeping the heap over [off, off + m) in order."""
    cdef double old = val[off + i]
    val[off + i] = x
    cdef Py_ssize_t h = where[off + i]
    if x < old:
        _sift_up(val, heap, where, off, h)
    elif x > old:
        _sift_down(val, heap, where, off, m, h)
