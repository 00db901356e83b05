"""The joint kernel's loop, compiled: replications one after another, each run to its end (or
until it needs more draws, or deadlocks).

Its steps (`steps`) are inlined into it (`compile._inlined`). numba's disk cache checks only this
file's date and size, not those of the functions compiled into it: after changing `steps` or
`heap`, change this file too (or clear `__pycache__`), or the old compiled loop is loaded."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.arrivals import PAD
from placeplan.capacity.domain.kernels.numba.compile import _compiled
from placeplan.capacity.domain.kernels.numba.heap import _heap_build, _set
from placeplan.capacity.domain.kernels.numba.steps import _arrivals, _bounds_crossing, _effective

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# run status
_DONE, _GROW, _DEADLOCK = 0, 1, 2


@_compiled
def _run(
    r_begin: int,
    r_end: int,
    R: int,
    n: int,
    width: IntArray,
    foff: IntArray,
    F0: FloatArray,
    shift: FloatArray,
    ev_off: IntArray,
    ev_n: IntArray,
    ev_time: FloatArray,
    cl_off: IntArray,
    cl_place: IntArray,
    cl_until: FloatArray,
    per_off: IntArray,
    per_n: IntArray,
    per_begin: FloatArray,
    cu_off: IntArray,
    closed_until: FloatArray,
    arr: FloatArray,
    aoff: IntArray,
    cap: IntArray,
    soff: IntArray,
    stays: FloatArray,
    route: FloatArray,
    cp_off: IntArray,
    cum_p: FloatArray,
    tg_off: IntArray,
    tg: IntArray,
    tq_off: IntArray,
    up_off: IntArray,
    up: IntArray,
    qb_off: IntArray,
    an_off: IntArray,
    an: IntArray,
    cyclic: IntArray,
    cycle_of: IntArray,
    n_cycles: int,
    out_arrival: FloatArray,
    out_start: FloatArray,
    out_ready: FloatArray,
    out_leave: FloatArray,
    out_external: NDArray[np.bool_],
    counts: IntArray,
    F: FloatArray,
    hF: IntArray,
    wF: IntArray,
    Q: FloatArray,
    hQ: IntArray,
    wQ: IntArray,
    holder: IntArray,
    qarg: IntArray,
    qmin: FloatArray,
    ext_row: IntArray,
    count: IntArray,
    ptr: IntArray,
    next_event: FloatArray,
    t: FloatArray,
    mk: FloatArray,
    pos: IntArray,
    pl: FloatArray,
    nu: FloatArray,
    floor: FloatArray,
    has_floor: NDArray[np.bool_],
    from_ext: NDArray[np.bool_],
    before: FloatArray,
    first: FloatArray,
) -> tuple[int, int, int]:
    """Replications r_begin .. r_end - 1; returns (status, replication, node) where it stopped.

    One piece (about 250 lines) on purpose: it is compiled without numba's reference counting and
    its inner loop is the hot path, so the sweep and the starts stay inline, in the order
    `JointKernel` does them (which makes the records the same bit for bit); the steps that can be
    apart without cost are (`steps`, `heap`)."""
    ctot = F0.shape[1]
    qtot = Q.shape[0]
    any_cyclic = False
    for k in range(n):
        if cyclic[k]:
            any_cyclic = True

    for r in range(r_begin, r_end):
        # a fresh replication: initial places (start state and closures), empty queues
        for x in range(ctot):
            F[x] = F0[r, x]
            holder[x] = 0
        for k in range(n):
            _heap_build(F, hF, wF, foff[k], width[k])
            ext_row[k] = 0
            count[k] = 0
            ptr[k] = 0
            next_event[k] = ev_time[ev_off[k]]
            nu[k] = -np.inf
            has_floor[k] = False
        for x in range(qtot):
            Q[x] = np.inf
        for d in range(n):
            for j in range(up_off[d], up_off[d + 1]):
                _heap_build(Q, hQ, wQ, qb_off[j], width[up[j]])

        while True:
            for k in range(n):  # room for one more record at every service
                if count[k] >= cap[k]:
                    return (_GROW, r, k)
            # --- the sweep: arrivals, then bounds (with month closures), downstream first
            if not any_cyclic:  # each node's bounds use its targets' fresh ones
                for i in range(n - 1, -1, -1):
                    _arrivals(
                        i,
                        r,
                        arr,
                        aoff,
                        R,
                        ext_row,
                        up_off,
                        qb_off,
                        Q,
                        hQ,
                        qarg,
                        qmin,
                        t,
                        from_ext,
                    )
                    _bounds_crossing(
                        i, F, hF, wF, foff, width, shift, ev_off, ev_n, ev_time, cl_off,
                        cl_place, cl_until, ptr, next_event, tg_off, tg, tq_off, qmin, t, mk,
                        pos, pl, nu, floor, has_floor,
                    )  # fmt: skip
            else:
                for i in range(n - 1, -1, -1):
                    _arrivals(
                        i,
                        r,
                        arr,
                        aoff,
                        R,
                        ext_row,
                        up_off,
                        qb_off,
                        Q,
                        hQ,
                        qarg,
                        qmin,
                        t,
                        from_ext,
                    )
                for k in range(n):  # from below: every iterate a valid lower bound
                    if cyclic[k]:
                        nu[k] = -np.inf
                        has_floor[k] = False
                for i in range(n - 1, -1, -1):
                    _bounds_crossing(
                        i, F, hF, wF, foff, width, shift, ev_off, ev_n, ev_time, cl_off,
                        cl_place, cl_until, ptr, next_event, tg_off, tg, tq_off, qmin, t, mk,
                        pos, pl, nu, floor, has_floor,
                    )  # fmt: skip
                # nobody on a cycle starts before the least, over its services, of (next
                # arrival, earliest free place)
                for c in range(n_cycles):
                    first[c] = np.inf
                for k in range(n):
                    if cycle_of[k] >= 0:
                        first[cycle_of[k]] = min(first[cycle_of[k]], max(t[k], mk[k]))
                for k in range(n):
                    if cycle_of[k] >= 0:
                        floor[k] = max(t[k], first[cycle_of[k]])
                        has_floor[k] = True
                for _ in range(4 * n + 4):
                    for k in range(n):
                        before[k] = nu[k]
                    for i in range(n - 1, -1, -1):
                        _bounds_crossing(
                            i, F, hF, wF, foff, width, shift, ev_off, ev_n, ev_time, cl_off,
                            cl_place, cl_until, ptr, next_event, tg_off, tg, tq_off, qmin, t,
                            mk, pos, pl, nu, floor, has_floor,
                        )  # fmt: skip
                    same = True
                    for k in range(n):
                        if cyclic[k] and before[k] != nu[k]:
                            same = False
                    if same:
                        break

            # --- start the next person at every service that may
            live_any = False
            moved = False
            for i in range(n):
                if nu[i] >= PAD:
                    continue
                live_any = True
                ok = True
                if tg_off[i + 1] > tg_off[i]:
                    ok = pl[i] >= mk[i] or t[i] >= mk[i]
                for x in range(an_off[i], an_off[i + 1]):
                    if not t[i] <= nu[an[x]]:
                        ok = False
                if not ok:
                    continue
                moved = True
                ti = t[i]
                start = max(ti, mk[i])
                m = count[i]
                count[i] = m + 1
                rec = soff[i] + m * R + r
                ready = start + stays[rec]
                out_arrival[rec] = ti
                out_start[rec] = start
                out_ready[rec] = ready
                if up_off[i + 1] == up_off[i]:
                    ext_row[i] += 1
                else:
                    ext = from_ext[i]
                    out_external[rec] = ext
                    if ext:
                        ext_row[i] += 1
                    else:
                        for j in range(up_off[i], up_off[i + 1]):
                            if qmin[j] != ti:
                                continue
                            u = up[j]
                            col = qarg[j]
                            _set(Q, hQ, wQ, qb_off[j], width[u], col, np.inf)
                            out_leave[soff[u] + holder[foff[u] + col] * R + r] = start
                            free = _effective(
                                u, col, start, shift, ev_off, ev_time, ptr, per_off, per_n,
                                per_begin, cu_off, width, closed_until,
                            )  # fmt: skip
                            _set(F, hF, wF, foff[u], width[u], col, free)
                p = pos[i]
                dest = 0
                ntg = tg_off[i + 1] - tg_off[i]
                if ntg > 0:
                    ru = route[rec]
                    for x in range(cp_off[i], cp_off[i + 1]):
                        if cum_p[x] <= ru:
                            dest += 1
                if dest >= ntg:
                    _set(F, hF, wF, foff[i], width[i], p, ready + shift[i])
                    out_leave[rec] = ready
                else:
                    _set(F, hF, wF, foff[i], width[i], p, np.inf)
                    holder[foff[i] + p] = m
                    x = tg_off[i] + dest
                    _set(Q, hQ, wQ, qb_off[tq_off[x]], width[i], p, ready)
                if any_cyclic:  # the others' bounds may have changed: a fresh sweep
                    break
            if not live_any:
                for k in range(n):
                    if t[k] < PAD:
                        return (_DEADLOCK, r, -1)
                break
            if not moved:
                return (_DEADLOCK, r, -1)
        for k in range(n):
            counts[r, k] = count[k]
    return (_DONE, r_end, -1)
