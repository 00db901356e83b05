"""The fast path: a service that routes nobody onward and receives nobody from another service,
as an exact FCFS multi-server queue over packed keys (`PackedBank`), one block of arrivals at a
time, vectorised over replications."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels import compiled as kernel_threads
from placeplan.capacity.domain.kernels.banks import PackedBank
from placeplan.capacity.domain.kernels.compiled.built import AVAILABLE as COMPILED
from placeplan.capacity.domain.kernels.compiled.built import single

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

INF = np.inf
# from this many places the compiled heap beats numpy's vectorised minimum over all of them: on
# two threads (a service simulated alone) the benchmark's single service, 90 places, at 1,000
# replications takes 0.50 s against 0.59 s; on one thread the two are level there, and the heap
# is well ahead at the demo's P1, 288 places
HEAP_PLACES = 64


_helper: ThreadPoolExecutor | None = None


def _compiled_block(
    bank: PackedBank, shifted: FloatArray, stays: FloatArray, starts: FloatArray, split: bool
) -> None:
    """The compiled loop over the block; with `split`, its replications in two halves on two
    threads (the loop releases the GIL; each replication is a column of its own, so the same
    starts and keys) where the kernels run two at a time (`kernels.compiled.THREADS`)."""
    global _helper
    R = bank.R

    def replications(begin: int, end: int) -> None:
        heap = np.empty(bank.c + 1, dtype=np.int64)  # each thread's own scratch
        single.single_block(bank.K, shifted, stays, starts, bank.mask, bank.keep, heap, begin, end)

    if not split or kernel_threads.THREADS < 2 or R < 2:
        replications(0, R)
        return
    if _helper is None:
        _helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capacity-single")
    other = _helper.submit(replications, R // 2, R)
    replications(0, R // 2)
    other.result()


def run_single(
    bank: PackedBank,
    arrivals: FloatArray,
    stays: FloatArray,
    starts: FloatArray,
    compiled: bool = True,
    split: bool = False,
) -> None:
    """FCFS multi-server queue for one block: writes each arrival's start time into `starts`.

    arrivals, stays, starts: shape (B, R), arrivals sorted down each column. `compiled`: the
    loop compiled (`kernels.compiled.single`) where it is built, the capacity never
    changes and there are at least HEAP_PLACES places, else in numpy; both give the same starts
    and leave the same keys. `split`: the compiled loop may run on two threads (the service is
    simulated alone; beside other groups the engine's threads are busy already).
    """
    K, flat, cols, mask, keep, R = bank.K, bank.flat, bank.cols, bank.mask, bank.keep, bank.R
    shifted = arrivals + bank.shift
    events = bank.has_events
    if compiled and COMPILED and not events and bank.c >= HEAP_PLACES and arrivals.shape[0]:
        _compiled_block(bank, shifted, stays, starts, split)
        starts -= shifted
        starts += arrivals
        return
    soonest = float(bank.next_event.min()) if events else INF
    for k in range(arrivals.shape[0]):
        a = shifted[k]
        m = np.minimum.reduce(K, axis=0)
        place = m & mask
        m &= keep
        st = np.maximum(a, m.view(np.float64), out=starts[k])
        if events and st.max() >= soonest:
            hit = np.flatnonzero(st >= bank.next_event)
            if len(hit):
                _cross_packed(bank, hit, a, st, place)
                soonest = float(bank.next_event.min())
        key = (st + stays[k]).view(np.int64)
        key &= keep
        key |= place
        place *= R
        place += cols
        flat[place] = key
    # start = arrival + wait, the wait taken in shifted time: exactly 0 for those who did not wait
    starts -= shifted
    starts += arrivals


def _cross_packed(
    bank: PackedBank, rows: IntArray, a: FloatArray, st: FloatArray, place: NDArray[np.int64]
) -> None:
    while len(rows):
        bank.cross(rows)
        m = bank.K[:, rows].min(axis=0)
        place[rows] = m & bank.mask
        st[rows] = np.maximum(a[rows], bank.values(m))
        rows = rows[st[rows] >= bank.next_event[rows]]
