"""The fast path: a service that routes nobody onward and receives nobody from another service,
as an exact FCFS multi-server queue over packed keys (`PackedBank`), one block of arrivals at a
time, vectorised over replications."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.banks import PackedBank
from placeplan.capacity.domain.kernels.compiled.built import AVAILABLE as COMPILED
from placeplan.capacity.domain.kernels.compiled.built import single

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

INF = np.inf
# from this many places the compiled heap beats numpy's vectorised minimum over all of them (the
# demo's P1, 288 places: 0.88 s against 1.16 s of CPU at 1,000 replications; the benchmark's
# 90 places: 0.61 s against 0.54 s)
HEAP_PLACES = 128


def run_single(
    bank: PackedBank,
    arrivals: FloatArray,
    stays: FloatArray,
    starts: FloatArray,
    compiled: bool = True,
) -> None:
    """FCFS multi-server queue for one block: writes each arrival's start time into `starts`.

    arrivals, stays, starts: shape (B, R), arrivals sorted down each column. `compiled`: the
    loop compiled (`kernels.compiled.single`) where it is built, the capacity never
    changes and there are at least HEAP_PLACES places, else in numpy; both give the same starts
    and leave the same keys.
    """
    K, flat, cols, mask, keep, R = bank.K, bank.flat, bank.cols, bank.mask, bank.keep, bank.R
    shifted = arrivals + bank.shift
    events = bank.has_events
    if compiled and COMPILED and not events and bank.c >= HEAP_PLACES and arrivals.shape[0]:
        single.single_block(
            K, shifted, stays, starts, mask, keep, np.empty(bank.c + 1, dtype=np.int64)
        )
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
