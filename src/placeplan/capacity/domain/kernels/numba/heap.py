"""Indexed binary heaps keyed by (time, index), compiled: a heap's top is exactly numpy's `argmin`
over the same values (the first of equal times). Each service's places and each routed queue
keep one, laid out at an offset in a shared flat array."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.numba.compile import _compiled, _inlined

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@_inlined
def _less(val: FloatArray, off: int, a: int, b: int) -> bool:
    va = val[off + a]
    vb = val[off + b]
    return va < vb or (va == vb and a < b)


@_compiled
def _heap_build(val: FloatArray, heap: IntArray, where: IntArray, off: int, m: int) -> None:
    for h in range(m):
        heap[off + h] = h
        where[off + h] = h
    for h in range(m // 2 - 1, -1, -1):
        _sift_down(val, heap, where, off, m, h)


@_inlined
def _sift_down(val: FloatArray, heap: IntArray, where: IntArray, off: int, m: int, h: int) -> None:
    item = heap[off + h]
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


@_inlined
def _sift_up(val: FloatArray, heap: IntArray, where: IntArray, off: int, h: int) -> None:
    item = heap[off + h]
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


@_compiled
def _set(
    val: FloatArray, heap: IntArray, where: IntArray, off: int, m: int, i: int, x: float
) -> None:
    """val[off + i] = x, keeping the heap over [off, off + m) in order."""
    old = val[off + i]
    val[off + i] = x
    h = where[off + i]
    if x < old:
        _sift_up(val, heap, where, off, h)
    elif x > old:
        _sift_down(val, heap, where, off, m, h)
