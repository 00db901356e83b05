# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The joint kernel's loop, compiled: replications one after another, each run to its end (or
until it needs more draws, or deadlocks). It releases the GIL, so chunks of replications run on
two threads at once (`CompiledJointKernel`)."""

from placeplan.capacity.domain.kernels.compiled.heap cimport _heap_build, _set
from placeplan.capacity.domain.kernels.compiled.steps cimport (
    Net, Work, _arrivals, _bounds_crossing, _effective, _fmax, _fmin
)

from libc.math cimport INFINITY

cdef enum:  # run status, as `CompiledJointKernel` reads it
    _DONE = 0
    _GROW = 1
    _DEADLOCK = 2


ctypedef (Py_ssize_t, Py_ssize_t, Py_ssize_t) Stop


cdef Stop _loop(
    Net* g, Work* w, Py_ssize_t r_begin, Py_ssize_t r_end, double PAD
) noexcept nogil:
    """Replications r_begin .. r_end - 1; returns (status, replication, node) where it stopped.

    One piece on purpose: its inner loop is the hot path, so the sweep and the starts stay
    inline, in the order `JointKernel` does them (which makes the records the same bit for
    bit); the steps that can be apart without cost are (`steps.pxd`, `heap.pxd`). PAD: the
    arrival time of padding (`kernels.base.PAD`)."""
    cdef Py_ssize_t n = g.n
    cdef Py_ssize_t R = g.R
    cdef Py_ssize_t r, x, k, d, j, i, c, m, rec, u, col, p, dest, ntg, it
    cdef bint any_cyclic = False
    cdef bint live_any, moved, ok, same, ext
    cdef double ti, start, ready, free, ru
    for k in range(n):
        if g.cyclic[k]:
            any_cyclic = True

    for r in range(r_begin, r_end):
        # a fresh replication: initial places (start state and closures), empty queues
        for x in range(g.ctot):
            w.F[x] = g.F0[r * g.ctot + x]
            w.holder[x] = 0
        for k in range(n):
            _heap_build(w.F, w.hF, w.wF, g.foff[k], g.width[k])
            w.ext_row[k] = 0
            w.count[k] = 0
            w.ptr[k] = 0
            w.next_event[k] = g.ev_time[g.ev_off[k]]
            w.nu[k] = -INFINITY
            w.has_floor[k] = False
        for x in range(g.qtot):
            w.Q[x] = INFINITY
        for d in range(n):
            for j in range(g.up_off[d], g.up_off[d + 1]):
                _heap_build(w.Q, w.hQ, w.wQ, g.qb_off[j], g.width[g.up[j]])

        while True:
            for k in range(n):  # room for one more record at every service
                if w.count[k] >= g.cap[k]:
                    return (_GROW, r, k)
            # --- the sweep: arrivals, then bounds (with month closures), downstream first
            if not any_cyclic:  # each node's bounds use its targets' fresh ones
                for i in range(n - 1, -1, -1):
                    _arrivals(g, w, i, r)
                    _bounds_crossing(g, w, i)
            else:
                for i in range(n - 1, -1, -1):
                    _arrivals(g, w, i, r)
                for k in range(n):  # from below: every iterate a valid lower bound
                    if g.cyclic[k]:
                        w.nu[k] = -INFINITY
                        w.has_floor[k] = False
                for i in range(n - 1, -1, -1):
                    _bounds_crossing(g, w, i)
                # nobody on a cycle starts before the least, over its services, of (next
                # arrival, earliest free place)
                for c in range(g.n_cycles):
                    w.first[c] = INFINITY
                for k in range(n):
                    if g.cycle_of[k] >= 0:
                        w.first[g.cycle_of[k]] = _fmin(
                            w.first[g.cycle_of[k]], _fmax(w.t[k], w.mk[k])
                        )
                for k in range(n):
                    if g.cycle_of[k] >= 0:
                        w.floor[k] = _fmax(w.t[k], w.first[g.cycle_of[k]])
                        w.has_floor[k] = True
                for it in range(4 * n + 4):
                    for k in range(n):
                        w.before[k] = w.nu[k]
                    for i in range(n - 1, -1, -1):
                        _bounds_crossing(g, w, i)
                    same = True
                    for k in range(n):
                        if g.cyclic[k] and w.before[k] != w.nu[k]:
                            same = False
                    if same:
                        break

            # --- start the next person at every service that may
            live_any = False
            moved = False
            for i in range(n):
                if w.nu[i] >= PAD:
                    continue
                live_any = True
                ok = True
                if g.tg_off[i + 1] > g.tg_off[i]:
                    ok = w.pl[i] >= w.mk[i] or w.t[i] >= w.mk[i]
                for x in range(g.an_off[i], g.an_off[i + 1]):
                    if not w.t[i] <= w.nu[g.an[x]]:
                        ok = False
                if not ok:
                    continue
                moved = True
                ti = w.t[i]
                start = _fmax(ti, w.mk[i])
                m = w.count[i]
                w.count[i] = m + 1
                rec = g.soff[i] + m * R + r
                ready = start + g.stays[rec]
                g.out_arrival[rec] = ti
                g.out_start[rec] = start
                g.out_ready[rec] = ready
                if g.up_off[i + 1] == g.up_off[i]:
                    w.ext_row[i] += 1
                else:
                    ext = w.from_ext[i]
                    g.out_external[rec] = ext
                    if ext:
                        w.ext_row[i] += 1
                    else:
                        for j in range(g.up_off[i], g.up_off[i + 1]):
                            if w.qmin[j] != ti:
                                continue
                            u = g.up[j]
                            col = w.qarg[j]
                            _set(w.Q, w.hQ, w.wQ, g.qb_off[j], g.width[u], col, INFINITY)
                            g.out_leave[g.soff[u] + w.holder[g.foff[u] + col] * R + r] = start
                            free = _effective(g, w, u, col, start)
                            _set(w.F, w.hF, w.wF, g.foff[u], g.width[u], col, free)
                p = w.pos[i]
                dest = 0
                ntg = g.tg_off[i + 1] - g.tg_off[i]
                if ntg > 0:
                    ru = g.route[rec]
                    for x in range(g.cp_off[i], g.cp_off[i + 1]):
                        if g.cum_p[x] <= ru:
                            dest += 1
                if dest >= ntg:
                    _set(w.F, w.hF, w.wF, g.foff[i], g.width[i], p, ready + g.shift[i])
                    g.out_leave[rec] = ready
                else:
                    _set(w.F, w.hF, w.wF, g.foff[i], g.width[i], p, INFINITY)
                    w.holder[g.foff[i] + p] = m
                    x = g.tg_off[i] + dest
                    _set(w.Q, w.hQ, w.wQ, g.qb_off[g.tq_off[x]], g.width[i], p, ready)
                if any_cyclic:  # the others' bounds may have changed: a fresh sweep
                    break
            if not live_any:
                for k in range(n):
                    if w.t[k] < PAD:
                        return (_DEADLOCK, r, -1)
                break
            if not moved:
                return (_DEADLOCK, r, -1)
        for k in range(n):
            g.counts[r * n + k] = w.count[k]
    return (_DONE, r_end, -1)


def run(
    Py_ssize_t r_begin,
    Py_ssize_t r_end,
    Py_ssize_t R,
    Py_ssize_t n,
    Py_ssize_t[::1] width,
    Py_ssize_t[::1] foff,
    double[:, ::1] F0,
    double[::1] shift,
    Py_ssize_t[::1] ev_off,
    Py_ssize_t[::1] ev_n,
    double[::1] ev_time,
    Py_ssize_t[::1] cl_off,
    Py_ssize_t[::1] cl_place,
    double[::1] cl_until,
    Py_ssize_t[::1] per_off,
    Py_ssize_t[::1] per_n,
    double[::1] per_begin,
    Py_ssize_t[::1] cu_off,
    double[::1] closed_until,
    double[::1] arr,
    Py_ssize_t[::1] aoff,
    Py_ssize_t[::1] cap,
    Py_ssize_t[::1] soff,
    double[::1] stays,
    double[::1] route,
    Py_ssize_t[::1] cp_off,
    double[::1] cum_p,
    Py_ssize_t[::1] tg_off,
    Py_ssize_t[::1] tg,
    Py_ssize_t[::1] tq_off,
    Py_ssize_t[::1] up_off,
    Py_ssize_t[::1] up,
    Py_ssize_t[::1] qb_off,
    Py_ssize_t[::1] an_off,
    Py_ssize_t[::1] an,
    Py_ssize_t[::1] cyclic,
    Py_ssize_t[::1] cycle_of,
    Py_ssize_t n_cycles,
    double pad,
    double[::1] out_arrival,
    double[::1] out_start,
    double[::1] out_ready,
    double[::1] out_leave,
    unsigned char[::1] out_external,
    Py_ssize_t[:, ::1] counts,
    double[::1] F,
    Py_ssize_t[::1] hF,
    Py_ssize_t[::1] wF,
    double[::1] Q,
    Py_ssize_t[::1] hQ,
    Py_ssize_t[::1] wQ,
    Py_ssize_t[::1] holder,
    Py_ssize_t[::1] qarg,
    double[::1] qmin,
    Py_ssize_t[::1] ext_row,
    Py_ssize_t[::1] count,
    Py_ssize_t[::1] ptr,
    double[::1] next_event,
    double[::1] t,
    double[::1] mk,
    Py_ssize_t[::1] pos,
    double[::1] pl,
    double[::1] nu,
    double[::1] floor,
    unsigned char[::1] has_floor,
    unsigned char[::1] from_ext,
    double[::1] before,
    double[::1] first,
) -> tuple[int, int, int]:
    """Replications r_begin .. r_end - 1 of the network laid out by `CompiledJointKernel`, in the
    working arrays given; returns (status, replication, node) where it stopped. Arrays may be
    empty (an offset table's sentinel, a node without routes): none is read past its end."""
    cdef Net g
    cdef Work w
    g.R, g.n, g.ctot, g.qtot, g.n_cycles = R, n, F0.shape[1], Q.shape[0], n_cycles
    g.width, g.foff, g.F0, g.shift = &width[0], &foff[0], &F0[0, 0], &shift[0]
    g.ev_off, g.ev_n, g.ev_time = &ev_off[0], &ev_n[0], &ev_time[0]
    g.cl_off = &cl_off[0]
    g.cl_place = &cl_place[0] if cl_place.shape[0] else NULL
    g.cl_until = &cl_until[0] if cl_until.shape[0] else NULL
    g.per_off, g.per_n, g.per_begin = &per_off[0], &per_n[0], &per_begin[0]
    g.cu_off, g.closed_until = &cu_off[0], &closed_until[0]
    g.arr, g.aoff, g.cap, g.soff = &arr[0], &aoff[0], &cap[0], &soff[0]
    g.stays, g.route = &stays[0], &route[0]
    g.cp_off = &cp_off[0]
    g.cum_p = &cum_p[0] if cum_p.shape[0] else NULL
    g.tg_off = &tg_off[0]
    g.tg = &tg[0] if tg.shape[0] else NULL
    g.tq_off = &tq_off[0] if tq_off.shape[0] else NULL
    g.up_off = &up_off[0]
    g.up = &up[0] if up.shape[0] else NULL
    g.qb_off = &qb_off[0] if qb_off.shape[0] else NULL
    g.an_off = &an_off[0]
    g.an = &an[0] if an.shape[0] else NULL
    g.cyclic, g.cycle_of = &cyclic[0], &cycle_of[0]
    g.out_arrival, g.out_start = &out_arrival[0], &out_start[0]
    g.out_ready, g.out_leave = &out_ready[0], &out_leave[0]
    g.out_external, g.counts = &out_external[0], &counts[0, 0]
    w.F, w.hF, w.wF = &F[0], &hF[0], &wF[0]
    w.Q, w.hQ, w.wQ = &Q[0], &hQ[0], &wQ[0]
    w.holder, w.qarg, w.qmin = &holder[0], &qarg[0], &qmin[0]
    w.ext_row, w.count, w.ptr = &ext_row[0], &count[0], &ptr[0]
    w.next_event, w.t, w.mk, w.pos = &next_event[0], &t[0], &mk[0], &pos[0]
    w.pl, w.nu, w.floor = &pl[0], &nu[0], &floor[0]
    w.has_floor, w.from_ext = &has_floor[0], &from_ext[0]
    w.before, w.first = &before[0], &first[0]
    cdef Stop stop
    with nogil:
        stop = _loop(&g, &w, r_begin, r_end, pad)
    return stop
