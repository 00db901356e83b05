"""The joint (routed) kernel compiled with numba: the same simulation as `kernel.JointKernel`,
one replication at a time.

`JointKernel` steps every replication at once with numpy; most of its time goes on Python
overhead and `argmin` over (replications x places) arrays, thousands of times. Here each
replication runs the very same rules (the same bounds, the same "safe and exact" test, the same
month closures, the same processing order, so the same records bit for bit) as a compiled loop,
with each service's places and each routed queue in an indexed binary heap keyed by (time,
index), whose top is exactly numpy's `argmin` (the first of equal times).

A replication that needs more stays or route draws than were sampled stops; the caller draws more
rows with the same `extend` (so the same numbers as the numpy kernel would use) and runs it again
from its start. Compiled functions are cached on disk (`cache=True`); the first call in a fresh
cache compiles them (a few seconds, see `benchmarks/capacity.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.arrivals import PAD
from placeplan.capacity.kernel import Deadlock, Node

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; the numpy kernel stands in
    AVAILABLE = False
else:
    AVAILABLE = True

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

INF = np.inf
CHUNK = 64  # replications per compiled call, between progress reports

# run status
_DONE, _GROW, _DEADLOCK = 0, 1, 2


# Compiled without numba's reference counting (`_nrt=False`, so nothing compiled may allocate:
# the working arrays come from `_workspace`): with it, the atomic increments and decrements on the
# loop's arrays took 80% of the time (perf). nogil: the engine runs other groups meanwhile.
_OPTIONS: dict[str, Any] = {"cache": True, "nogil": True, "_nrt": False}


def _compiled(fn: Callable[..., Any]) -> Callable[..., Any]:
    if not AVAILABLE:  # pragma: no cover
        return fn
    compiled: Callable[..., Any] = njit(**_OPTIONS)(fn)
    return compiled


@_compiled
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


@_compiled
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


@_compiled
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


@_compiled
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


@_compiled
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


@_compiled
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


@_compiled
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
    """Replications r_begin .. r_end - 1; returns (status, replication, node) where it stopped."""
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


def _workspace(ctot: int, qtot: int, n: int, n_up: int, n_cycles: int) -> tuple[Any, ...]:
    """The loop's working arrays (allocated here: the compiled code runs without numba's
    reference counting, see `_compiled`)."""
    f, i, b = np.float64, np.intp, np.bool_
    places = (np.empty(ctot, f), np.empty(ctot, i), np.empty(ctot, i))
    queues = (np.empty(qtot, f), np.empty(qtot, i), np.empty(qtot, i))
    holder = np.zeros(ctot, i)
    routed = (np.zeros(max(n_up, 1), i), np.zeros(max(n_up, 1), f))
    per_node = (
        *(np.zeros(n, i) for _ in range(3)),  # ext_row, count, ptr
        *(np.zeros(n, f) for _ in range(3)),  # next_event, t, mk
        np.zeros(n, i),  # pos
        *(np.zeros(n, f) for _ in range(3)),  # pl, nu, floor
        np.zeros(n, b),  # has_floor
        np.zeros(n, b),  # from_ext
        np.zeros(n, f),  # before
    )
    return (*places, *queues, holder, *routed, *per_node, np.zeros(max(n_cycles, 1), f))


class Records:
    """One service's records from the compiled kernel, laid out as `JointKernel`'s states:
    row n holds each replication's n-th record (the n-th person to start there)."""

    def __init__(self, arrival: FloatArray, start: FloatArray, ready: FloatArray,
                 leave: FloatArray, external: NDArray[np.bool_], count: IntArray) -> None:  # fmt: skip
        self.arrival = arrival
        self.start = start
        self.ready = ready
        self.leave = leave
        self.external = external
        self.count = count

    def padded(self) -> int:
        """Pad the rows past each replication's count with PAD, up to the most records any
        replication has; returns that number of rows (as `_State.padded`)."""
        used = int(self.count.max()) if len(self.count) else 0
        lo = int(self.count.min()) if len(self.count) else 0
        if used > lo:
            beyond = np.arange(lo, used)[:, None] >= self.count[None, :]
            for arr in (self.arrival, self.start, self.ready, self.leave):
                arr[lo:used][beyond] = PAD
        return used


def _offsets(sizes: list[int]) -> IntArray:
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)


class NumbaJointKernel:
    """`JointKernel`'s simulation, compiled: the same inputs (nodes, extend) and the same
    records (`states[k]` with arrival, start, ready, leave, external, count and `padded`)."""

    def __init__(
        self,
        nodes: list[Node],
        extend: Callable[[int, int], tuple[FloatArray, FloatArray]],
    ) -> None:
        if not AVAILABLE:  # pragma: no cover
            raise RuntimeError("numba is not installed")
        self.nodes = nodes
        self.extend = extend
        n = len(nodes)
        self.cyclic = [k for k, node in enumerate(nodes) if k in node.ancestors]
        cycles: list[list[int]] = []
        for k in self.cyclic:
            if not any(k in c for c in cycles):
                cycles.append(
                    [d for d in self.cyclic if d in nodes[k].ancestors and k in nodes[d].ancestors]
                )
        self.cycle_of = np.full(n, -1, dtype=np.intp)
        for c, members in enumerate(cycles):
            self.cycle_of[members] = c
        self.n_cycles = len(cycles)
        R = nodes[0].bank.R
        self.R = R
        banks = [node.bank for node in nodes]
        self.width = np.array([b.width for b in banks], dtype=np.intp)
        self.foff = _offsets([b.width for b in banks])
        self.F0 = np.ascontiguousarray(np.concatenate([b.F for b in banks], axis=1))
        self.shift = np.array([b.shift for b in banks], dtype=np.float64)
        # month closures: per node its events, each with its closed places and reopening times
        ev_n = [len(b.events) for b in banks]
        self.ev_n = np.array(ev_n, dtype=np.intp)
        self.ev_off = _offsets([e + 1 for e in ev_n])  # each node's times end with inf
        self.ev_time = np.concatenate([b.event_times for b in banks]).astype(np.float64)
        sizes: list[int] = []
        places: list[IntArray] = []
        untils: list[FloatArray] = []
        for b in banks:
            for _, closed, until in b.events:
                sizes.append(len(closed))
                places.append(np.asarray(closed, dtype=np.intp))
                untils.append(np.asarray(until, dtype=np.float64))
            sizes.append(0)  # the inf sentinel closes nothing
        self.cl_off = _offsets(sizes)
        self.cl_place = np.concatenate([*places, np.zeros(0, np.intp)]).astype(np.intp)
        self.cl_until = np.concatenate([*untils, np.zeros(0)]).astype(np.float64)
        self.per_n = np.array([len(b.period_begins) for b in banks], dtype=np.intp)
        self.per_off = _offsets([len(b.period_begins) for b in banks])
        self.per_begin = np.concatenate([b.period_begins for b in banks]).astype(np.float64)
        self.cu_off = _offsets([b.closed_until.size for b in banks])
        self.closed_until = np.concatenate([b.closed_until.reshape(-1) for b in banks])
        # external arrivals, (K + 1, R) each, PAD at the end; like the draws and the records,
        # kept in JointKernel's (row, replication) layout (laying them out replication by
        # replication and transposing the records back cost more than the strided accesses)
        self.aoff = _offsets([node.arrivals.size for node in nodes])
        self.arr = np.concatenate([node.arrivals.reshape(-1) for node in nodes])
        # routes: targets, their cumulative probabilities, and each target's queue block
        self.cp_off = _offsets([len(node.cum_p) for node in nodes])
        self.cum_p = np.concatenate([node.cum_p for node in nodes] + [np.zeros(0)])
        self.tg_off = _offsets([len(node.targets) for node in nodes])
        self.tg = np.array([d for node in nodes for d in node.targets], dtype=np.intp)
        self.up_off = _offsets([len(node.upstream) for node in nodes])
        self.up = np.array([u for node in nodes for u in node.upstream], dtype=np.intp)
        qb: list[int] = []
        base = 0
        for node in nodes:
            for u in node.upstream:
                qb.append(base)
                base += int(self.width[u])
        self.qb_off = np.array(qb, dtype=np.intp)
        tq: list[int] = []
        for i, node in enumerate(nodes):
            for d in node.targets:
                j = nodes[d].upstream.index(i)
                tq.append(int(self.up_off[d]) + j)
        self.tq_off = np.array(tq, dtype=np.intp)
        self.an_off = _offsets([len(node.ancestors) for node in nodes])
        self.an = np.array([a for node in nodes for a in node.ancestors], dtype=np.intp)
        self.is_cyclic = np.array([k in self.cyclic for k in range(n)], dtype=np.intp)
        self.counts = np.zeros((R, n), dtype=np.intp)
        self.work = _workspace(self.F0.shape[1], max(base, 1), n, len(self.up), self.n_cycles)
        self.outputs: tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray] | None
        self.outputs = None
        self.soff = np.zeros(n + 1, dtype=np.intp)
        self._pack()
        self.states: list[Records] = []

    def _pack(self) -> None:
        """Stays and route draws, flat, with fresh output arrays of the same shape."""
        nodes, R = self.nodes, self.R
        old, old_soff = self.outputs, self.soff
        self.cap = np.array([node.stays.shape[0] for node in nodes], dtype=np.intp)
        self.soff = _offsets([int(c) * R for c in self.cap])
        self.stays = np.concatenate([node.stays.reshape(-1) for node in nodes])
        self.route = np.concatenate([node.route_u.reshape(-1) for node in nodes])
        total = int(self.soff[-1])
        self.outputs = (
            np.empty(total),
            np.empty(total),
            np.empty(total),
            np.empty(total),
            np.zeros(total, dtype=np.bool_),
        )
        if old is not None:  # keep the records of the replications already run
            for k in range(len(nodes)):
                a, b = int(old_soff[k]), int(old_soff[k + 1])
                lo = int(self.soff[k])
                for new_arr, old_arr in zip(self.outputs, old, strict=True):
                    new_arr[lo : lo + b - a] = old_arr[a:b]  # rows are appended

    def _grow(self, k: int) -> None:
        node = self.nodes[k]
        cap = node.stays.shape[0]
        extra = cap // 2 + 16  # as JointKernel._grow asks, so the same draws
        stays, route = self.extend(k, extra)
        node.stays = np.concatenate([node.stays, stays])
        node.route_u = np.concatenate([node.route_u, route])
        self._pack()

    def run(self, progress: Callable[[float], None] | None = None) -> None:
        r = 0
        while r < self.R:
            assert self.outputs is not None  # _pack made them
            end = min(self.R, r + CHUNK)
            status, at, node = _run(
                r, end, self.R, len(self.nodes), self.width, self.foff, self.F0, self.shift,
                self.ev_off, self.ev_n, self.ev_time, self.cl_off, self.cl_place, self.cl_until,
                self.per_off, self.per_n, self.per_begin, self.cu_off, self.closed_until,
                self.arr, self.aoff, self.cap, self.soff, self.stays, self.route, self.cp_off,
                self.cum_p, self.tg_off, self.tg, self.tq_off, self.up_off, self.up, self.qb_off,
                self.an_off, self.an, self.is_cyclic, self.cycle_of, self.n_cycles,
                *self.outputs, self.counts, *self.work,
            )  # fmt: skip
            if status == _DEADLOCK:
                raise Deadlock(
                    "people blocked round a cycle of onward routes hold every place they wait "
                    "for, so nobody can move on"
                )
            if status == _GROW:
                self._grow(int(node))
                r = int(at)  # run that replication again from its start, with more draws
                continue
            r = end
            if progress is not None:
                progress(r / self.R)
        R = self.R
        assert self.outputs is not None
        self.states = []
        for k in range(len(self.nodes)):
            lo, hi = int(self.soff[k]), int(self.soff[k + 1])
            arrays: list[Any] = [a[lo:hi].reshape(-1, R) for a in self.outputs]
            arrival, start, ready, leave, external = arrays
            self.states.append(
                Records(arrival, start, ready, leave, external, self.counts[:, k].copy())
            )
