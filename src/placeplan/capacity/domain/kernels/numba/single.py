"""The fast path's block loop (`kernels.single.run_single`), compiled: one replication at a time,
its places' packed keys in a binary min-heap, so each arrival costs a sift of log2(c) steps
rather than a `minimum.reduce` over all c places. The same integer keys and the same float
operations (start = max(arrival, free time), key = bits of start + stay with the place in the low
bits), so the same starts bit for bit; used when the service's capacity never changes (no month
closures to cross)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.numba.compile import AVAILABLE, _compiled

FloatArray = NDArray[np.float64]
KeyArray = NDArray[np.int64]


def _bitcasts() -> tuple[Any, Any]:
    """Reading a key's bits as a double and back (numpy's `.view` on one value), compiled."""
    if not AVAILABLE:  # pragma: no cover - the numpy loop runs instead
        return (
            lambda x: np.int64(x).view(np.float64),
            lambda x: np.float64(x).view(np.int64),
        )
    from numba.core import types
    from numba.extending import intrinsic

    def bitcast(source: Any, target: Any) -> Any:
        def typer(typingctx: Any, x: Any) -> Any:
            def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
                return builder.bitcast(args[0], context.get_value_type(target))

            return target(source), codegen

        return intrinsic(typer)

    return bitcast(types.int64, types.float64), bitcast(types.float64, types.int64)


_bits_as_float, _float_as_bits = _bitcasts()


@_compiled
def _sift_down(heap: KeyArray, c: int, h: int) -> None:
    item = heap[h]
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


@_compiled
def _replace_top(heap: KeyArray, c: int, item: np.int64) -> None:
    """Put `item` in place of the heap's top, bottom-up (Floyd): the hole goes down the smaller
    child to a leaf, one comparison a level and no test against `item`, then `item` climbs back
    up, rarely far (a new free time is usually later than most). `heap[c]` holds the largest
    int64, so a last left child's missing sibling is never the smaller. Keys are distinct (each
    holds its place's index), so the heap's top, and so every start, is as with `_sift_down`."""
    h = 0
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


@_compiled
def _single_block(
    K: KeyArray,
    shifted: FloatArray,
    stays: FloatArray,
    starts: FloatArray,
    mask: np.int64,
    keep: np.int64,
    heap: KeyArray,
) -> None:
    """`run_single`'s loop for one block: starts (shifted time) into `starts`, and each place's
    new key back into K (row = the place, from the key's low bits), as the numpy loop leaves it.
    `heap`: c + 1 keys of scratch."""
    c, R = K.shape
    heap[c] = np.iinfo(np.int64).max
    B = shifted.shape[0]
    for r in range(R):
        for j in range(c):
            heap[j] = K[j, r]
        for h in range(c // 2 - 1, -1, -1):
            _sift_down(heap, c, h)
        for k in range(B):
            m = heap[0]
            place = m & mask
            free = _bits_as_float(m & keep)
            a = shifted[k, r]
            st = a if a >= free else free  # np.maximum (no NaNs here)
            starts[k, r] = st
            _replace_top(heap, c, (_float_as_bits(st + stays[k, r]) & keep) | place)
        for j in range(c):
            key = heap[j]
            K[key & mask, r] = key
