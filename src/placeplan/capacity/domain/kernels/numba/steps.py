"""The joint kernel's steps for one replication, compiled: month closures, when a freed place can
next take someone, a service's next arrival, and its bounds (`JointKernel`'s rules, one
replication at a time)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.numba.compile import _inlined
from placeplan.capacity.domain.kernels.numba.heap import _set

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@_inlined
def _cross(
    i: int,
    F: FloatArray,
    hF: IntArray,
    wF: IntArray,
    foff: IntArray,
    width: IntArray,
    ev_off: IntArray,
    ev_n: IntArray,
    ev_time: FloatArray,
    cl_off: IntArray,
    cl_place: IntArray,
    cl_until: FloatArray,
    ptr: IntArray,
    next_event: FloatArray,
) -> None:
    """Apply node i's next month closures (ServerBank.cross, one replication)."""
    p = ptr[i]
    if p < ev_n[i]:
        e = ev_off[i] + p
        for q in range(cl_off[e], cl_off[e + 1]):
            j = cl_place[q]
            if cl_until[q] > F[foff[i] + j]:
                _set(F, hF, wF, foff[i], width[i], j, cl_until[q])
    ptr[i] = min(p + 1, ev_n[i])
    next_event[i] = ev_time[ev_off[i] + ptr[i]]


@_inlined
def _effective(
    u: int,
    place: int,
    free: float,
    shift: FloatArray,
    ev_off: IntArray,
    ev_time: FloatArray,
    ptr: IntArray,
    per_off: IntArray,
    per_n: IntArray,
    per_begin: FloatArray,
    cu_off: IntArray,
    width: IntArray,
    closed_until: FloatArray,
) -> float:
    """ServerBank.effective for one place: when a place freed at `free` can next take someone."""
    f = free + shift[u]
    passed = ev_time[ev_off[u] + ptr[u] - 1] if ptr[u] > 0 else -np.inf
    when = max(f, passed)
    # searchsorted(period_begins, when, side="right") - 1, clipped
    lo, hi = 0, per_n[u]
    while lo < hi:
        mid = (lo + hi) // 2
        if per_begin[per_off[u] + mid] <= when:
            lo = mid + 1
        else:
            hi = mid
    period = min(max(lo - 1, 0), per_n[u] - 1)
    out: float = max(f, closed_until[cu_off[u] + period * width[u] + place])
    return out


@_inlined
def _arrivals(
    i: int,
    r: int,
    arr: FloatArray,
    aoff: IntArray,
    R: int,
    ext_row: IntArray,
    up_off: IntArray,
    qb_off: IntArray,
    Q: FloatArray,
    hQ: IntArray,
    qarg: IntArray,
    qmin: FloatArray,
    t: FloatArray,
    from_ext: NDArray[np.bool_],
) -> None:
    """Node i's next arrival: the earliest of its next own arrival and those routed to it."""
    te = arr[aoff[i] + ext_row[i] * R + r]
    ti = te
    for j in range(up_off[i], up_off[i + 1]):
        b = qb_off[j]
        a = hQ[b]
        qarg[j] = a
        qmin[j] = Q[b + a]
        ti = min(ti, qmin[j])
    t[i] = ti
    if up_off[i + 1] > up_off[i]:
        from_ext[i] = te <= ti


@_inlined
def _bounds_crossing(
    i: int,
    F: FloatArray,
    hF: IntArray,
    wF: IntArray,
    foff: IntArray,
    width: IntArray,
    shift: FloatArray,
    ev_off: IntArray,
    ev_n: IntArray,
    ev_time: FloatArray,
    cl_off: IntArray,
    cl_place: IntArray,
    cl_until: FloatArray,
    ptr: IntArray,
    next_event: FloatArray,
    tg_off: IntArray,
    tg: IntArray,
    tq_off: IntArray,
    qmin: FloatArray,
    t: FloatArray,
    mk: FloatArray,
    pos: IntArray,
    pl: FloatArray,
    nu: FloatArray,
    floor: FloatArray,
    has_floor: NDArray[np.bool_],
) -> None:
    """Node i's earliest free place (mk, pos), pending bound pl and nu, applying the month
    closures its clock has passed (JointKernel._bounds_crossing, one replication)."""
    while True:
        p0 = hF[foff[i]]
        pos[i] = p0
        mk[i] = F[foff[i] + p0] - shift[i]
        if tg_off[i + 1] > tg_off[i]:
            pli = np.inf
            for x in range(tg_off[i], tg_off[i + 1]):
                pli = min(pli, max(qmin[tq_off[x]], nu[tg[x]]))
            pl[i] = pli
            nu[i] = max(t[i], min(mk[i], pli))
        else:
            nu[i] = max(t[i], mk[i])
        if has_floor[i]:
            nu[i] = max(nu[i], floor[i])
        # (past the last closure next_event is inf: nothing more to cross)
        if ptr[i] >= ev_n[i] or nu[i] + shift[i] < next_event[i]:
            return
        _cross(
            i, F, hF, wF, foff, width, ev_off, ev_n, ev_time, cl_off, cl_place, cl_until, ptr,
            next_event,
        )  # fmt: skip
