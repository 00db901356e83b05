"""The simulation kernels: exact first-come-first-served multi-server queues in continuous time.

Both kernels are vectorised over replications: step k handles the k-th arrival of every replication
at once, keeping an (R, c) array of the times at which each place (bed or package) is next free.
A person starts at max(arrival, earliest free place) and holds it until they leave.

Capacity that changes by month is exact too: when the earliest possible next start passes the
start of a month in which place j is closed, place j's free time is lifted to when it reopens
(a person already in it stays until they finish).

`run_single` is the fast path for a service that routes nobody onward and receives nobody from
another service (its places are packed int64 keys, see `PackedBank`). `JointKernel` simulates services linked by onward routes, with blocking: a person
routed onward keeps their place until the next service starts them. It processes, for each
replication, the arrivals that are safe (no earlier arrival can still appear) and exact (the
earliest free place is known), which a conservative discrete-event argument guarantees to exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.arrivals import PAD

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

INF = np.inf


@dataclass
class Schedule:
    """Capacity by period: period i starts at begins[i] (the last runs on for ever)."""

    begins: list[float]
    capacity: list[int]

    @property
    def cmax(self) -> int:
        return max(self.capacity)


class ServerBank:
    """Free times of every place in every replication, with places closed by month.

    Times in F are kept shifted by `shift` (so the simulation starts at time 1) and are therefore
    positive; positive IEEE doubles order like their int64 bit patterns, and numpy's argmin over
    the int64 view `I` is markedly faster than over floats. An idle place holds 0.0.
    """

    def __init__(self, replications: int, schedule: Schedule) -> None:
        self.R = replications
        cap = max(1, schedule.cmax)
        self.c = cap
        self.width = cap
        self.shift = 1.0 - schedule.begins[0]
        self.F = np.zeros((replications, cap))
        self.I = self.F.view(np.int64)
        self.flat = self.F.reshape(-1)
        self.base = np.arange(replications, dtype=np.intp) * cap
        begins = [b + self.shift for b in schedule.begins]
        caps = schedule.capacity
        n = len(begins)
        # reopen[i][j]: when place j next opens at or after the start of period i
        reopen = np.full((n, self.c), INF)
        for i in range(n - 1, -1, -1):
            for j in range(self.c):
                if j < caps[i]:
                    reopen[i, j] = begins[i]
                elif i + 1 < n:
                    reopen[i, j] = reopen[i + 1, j]
        self.period_begins = np.array(begins, dtype=np.float64)
        # per period: places closed then, and when each reopens (-inf where open)
        self.closed_until = np.where(
            np.arange(self.c)[None, :] < np.array(caps)[:, None], -INF, reopen
        )
        # a closure only needs applying when places close that were open the period before:
        # places closed throughout already carry their reopening time, and nobody can start in
        # a closed place to lower it
        self.events: list[tuple[float, IntArray, FloatArray]] = []
        for i in range(1, n):
            closed = np.arange(caps[i], self.c, dtype=np.intp)
            closed = closed[closed < caps[i - 1]]
            if len(closed):
                self.events.append((begins[i], closed, reopen[i, closed]))
        first_closed = np.arange(min(caps[0], self.c), self.c, dtype=np.intp)
        if len(first_closed):
            self.F[:, first_closed] = reopen[0, first_closed][None, :]
        self.has_events = bool(self.events)
        self.event_times = np.array([e[0] for e in self.events] + [INF])
        self.ptr = np.zeros(replications, dtype=np.intp)
        self.next_event = np.full(replications, self.event_times[0])

    def occupy(self, count: int, ends: FloatArray) -> None:
        """Start state: `count` places busy until `ends` (shape (count, R), real times)."""
        if count:
            self.F[:, :count] = np.maximum(self.F[:, :count], ends.T + self.shift)

    def cross(self, rows: IntArray) -> None:
        """Apply the next month's closures in these replications (their clock has passed it)."""
        ptr = self.ptr[rows]
        first = int(ptr[0])
        groups = [first] if (ptr == first).all() else [int(p) for p in np.unique(ptr)]
        for p in groups:
            if p >= len(self.events):
                continue
            sel = rows if len(groups) == 1 else rows[ptr == p]
            _, closed, until = self.events[p]
            where = (self.base[sel][:, None] + closed[None, :]).ravel()
            self.flat[where] = np.maximum(self.flat[where], np.tile(until, len(sel)))
        self.ptr[rows] = np.minimum(ptr + 1, len(self.events))
        self.next_event[rows] = self.event_times[self.ptr[rows]]

    def effective(self, rows: IntArray, places: IntArray, free: FloatArray) -> FloatArray:
        """The (shifted) time a place freed at real time `free` can next take someone, given the
        months already passed."""
        free = free + self.shift
        if not self.has_events and np.isneginf(self.closed_until).all():
            return free
        passed = np.where(
            self.ptr[rows] > 0, self.event_times[np.maximum(self.ptr[rows] - 1, 0)], -INF
        )
        when = np.maximum(free, passed)
        period = np.searchsorted(self.period_begins, when, side="right") - 1
        period = np.clip(period, 0, len(self.period_begins) - 1)
        return np.maximum(free, self.closed_until[period, places])


class PackedBank:
    """The fast path's places: free times as int64 keys, one row per place, one column per
    replication.

    A key is the bit pattern of the (shifted, so positive) free time with its lowest `bits`
    mantissa bits replaced by the place's index. Positive doubles order like their bit patterns,
    so a column-wise `minimum.reduce` (branch-free, vectorised across replications) gives both the
    earliest free time and its place. The cost: free times are truncated by at most 2**-(52-bits)
    of their value (under 1e-10 days), which no measure can see.
    """

    def __init__(self, replications: int, schedule: Schedule) -> None:
        plain = ServerBank(replications, schedule)  # closure events and reopening times
        self.R = replications
        self.c = plain.c
        self.shift = plain.shift
        self.bits = max(1, int(np.ceil(np.log2(self.c))))
        self.mask = np.int64((1 << self.bits) - 1)
        self.keep = np.int64(~self.mask)
        self.index = np.arange(self.c, dtype=np.int64)[:, None]
        self.K = self.pack(plain.F.T.copy(), self.index)
        self.flat = self.K.reshape(-1)
        self.cols = np.arange(replications, dtype=np.int64)
        self.events = plain.events
        self.has_events = plain.has_events
        self.event_times = plain.event_times
        self.ptr = plain.ptr
        self.next_event = plain.next_event

    def pack(self, values: FloatArray, places: NDArray[np.int64]) -> NDArray[np.int64]:
        keys = values.view(np.int64) & self.keep
        keys |= places
        return keys

    def values(self, keys: NDArray[np.int64]) -> FloatArray:
        out: FloatArray = (keys & self.keep).view(np.float64)
        return out

    def occupy(self, count: int, ends: FloatArray) -> None:
        """Start state: `count` places busy until `ends` (shape (count, R), real times)."""
        if count:
            now = self.values(self.K[:count])
            self.K[:count] = self.pack(np.maximum(now, ends + self.shift), self.index[:count])

    def cross(self, rows: IntArray) -> None:
        """Apply the next month's closures in these replications (their clock has passed it)."""
        ptr = self.ptr[rows]
        for p in [int(x) for x in np.unique(ptr)]:
            if p >= len(self.events):
                continue
            sel = rows[ptr == p]
            _, closed, until = self.events[p]
            block = self.K[np.ix_(closed, sel)]
            raised = np.maximum(self.values(block), until[:, None])
            self.K[np.ix_(closed, sel)] = self.pack(raised, closed.astype(np.int64)[:, None])
        self.ptr[rows] = np.minimum(ptr + 1, len(self.events))
        self.next_event[rows] = self.event_times[self.ptr[rows]]


def run_single(
    bank: PackedBank,
    arrivals: FloatArray,
    stays: FloatArray,
    starts: FloatArray,
) -> None:
    """FCFS multi-server queue for one block: writes each arrival's start time into `starts`.

    arrivals, stays, starts: shape (B, R), arrivals sorted down each column.
    """
    K, flat, cols, mask, keep, R = bank.K, bank.flat, bank.cols, bank.mask, bank.keep, bank.R
    shifted = arrivals + bank.shift
    events = bank.has_events
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


@dataclass
class Node:
    """One service inside a joint (routed) simulation, with its records."""

    bank: ServerBank
    arrivals: FloatArray  # (K + 1, R) external arrivals, PAD at the end
    stays: FloatArray  # (cap, R) stays by order of arrival at this service
    route_u: FloatArray  # (cap, R) uniforms for the onward route
    cum_p: FloatArray  # cumulative onward probabilities (in `targets` order)
    targets: list[int]  # indices of onward services
    upstream: list[int] = field(default_factory=list)
    ancestors: list[int] = field(default_factory=list)


class _State:
    """Working arrays of one node in the joint kernel."""

    def __init__(self, node: Node, R: int, queue_width: int) -> None:
        cap = node.stays.shape[0]
        self.queue = np.full((R, max(queue_width, 1)), INF)  # routed arrivals, by upstream place
        self.qflat = self.queue.reshape(-1)
        self.qbase = np.arange(R, dtype=np.intp) * self.queue.shape[1]
        self.offsets: dict[int, int] = {}
        self.qstart: dict[int, IntArray] = {}  # flat index of each row's block for upstream u
        self.holder = np.zeros(R * node.bank.width, dtype=np.intp)  # record index per place
        # row n holds each replication's n-th record, written when its n-th person starts; rows
        # past a replication's count are padded once at the end (`padded`), not filled first
        self.arrival = np.empty((cap, R))
        self.start = np.empty((cap, R))
        self.ready = np.empty((cap, R))
        self.leave = np.empty((cap, R))
        self.external = np.zeros((cap, R), dtype=np.bool_)
        self.count = np.zeros(R, dtype=np.intp)
        self.ext_pos = np.arange(R, dtype=np.intp)  # flat index of the next external arrival
        self.arr_flat = node.arrivals.reshape(-1)
        self.te = np.empty(R)
        self.t = np.empty(R)
        self.from_ext = np.empty(R, dtype=np.bool_)
        self.mk = np.empty(R)
        self.pos = np.empty(R, dtype=np.intp)
        self.pl: FloatArray | None = None
        self.nu = np.empty(R)
        self.qarg: dict[int, IntArray] = {}
        self.qmin: dict[int, FloatArray] = {}
        self.floor: FloatArray | None = None  # a lower bound on nu, on a cycle

    def grow(self, extra: int, R: int) -> None:
        """Room for `extra` more records per replication."""
        self.arrival = np.concatenate([self.arrival, np.empty((extra, R))])
        self.start = np.concatenate([self.start, np.empty((extra, R))])
        self.ready = np.concatenate([self.ready, np.empty((extra, R))])
        self.leave = np.concatenate([self.leave, np.empty((extra, R))])
        self.external = np.concatenate([self.external, np.zeros((extra, R), np.bool_)])

    def padded(self) -> int:
        """Pad the rows past each replication's count with PAD, up to the most records any
        replication has; returns that number of rows."""
        used = int(self.count.max()) if len(self.count) else 0
        lo = int(self.count.min()) if len(self.count) else 0
        if used > lo:
            beyond = np.arange(lo, used)[:, None] >= self.count[None, :]
            for arr in (self.arrival, self.start, self.ready, self.leave):
                arr[lo:used][beyond] = PAD
        return used


class Deadlock(Exception):
    """People blocked round a cycle of routes hold every place they are waiting for."""


class JointKernel:
    """Services linked by onward routes, with blocking after service.

    For each replication and service it keeps nu: a lower bound on the service's next start
    (its next arrival, or the earliest a place can free; a place held by someone waiting to move
    on frees no earlier than the next start downstream). A service may start its next arrival
    when that arrival is known to be the next (no ancestor can start anyone before it) and the
    earliest free place is known exactly. Each step does this for every service and replication
    that may, so services advance together; the service with the least nu always may, so every
    step makes progress.

    Routes may form cycles (each with an exit; the scenario checks). Within a cycle the bounds
    depend on each other, so they are found as the least fixed point of the same rules, from
    below (every iterate a valid lower bound), and each step then starts people at one service
    only, as starting someone routed back frees a place upstream and changes its bounds. If
    nothing can start while people remain, those round the cycle hold every place the others
    wait for: a deadlock, which a discrete-event model has too; `Deadlock` says so.
    """

    def __init__(
        self,
        nodes: list[Node],
        extend: Callable[[int, int], tuple[FloatArray, FloatArray]],
    ) -> None:
        self.nodes = nodes  # in topological order: upstream first, except round a cycle
        self.extend = extend  # (node, rows needed) -> more (stays, route_u) rows
        # services on a cycle: those that are their own ancestors; and the cycles (sets of
        # services each of which is an ancestor of every other)
        self.cyclic = [k for k, node in enumerate(nodes) if k in node.ancestors]
        self.cycles: list[list[int]] = []
        for k in self.cyclic:
            if not any(k in c for c in self.cycles):
                self.cycles.append(
                    [d for d in self.cyclic if d in nodes[k].ancestors and k in nodes[d].ancestors]
                )
        R = nodes[0].bank.R
        self.R = R
        self.rows = np.arange(R, dtype=np.intp)
        self.states: list[_State] = []
        for node in nodes:
            width = sum(nodes[u].bank.width for u in node.upstream)
            st = _State(node, R, width)
            off = 0
            for u in node.upstream:
                st.offsets[u] = off
                st.qstart[u] = st.qbase + off
                off += nodes[u].bank.width
            self.states.append(st)

    def _grow(self, i: int, need: int) -> None:
        node, st = self.nodes[i], self.states[i]
        cap = node.stays.shape[0]
        if need <= cap:
            return
        extra = max(need - cap, cap // 2 + 16)
        stays, route = self.extend(i, extra)
        node.stays = np.concatenate([node.stays, stays])
        node.route_u = np.concatenate([node.route_u, route])
        st.grow(extra, self.R)

    def _bounds(self, i: int) -> None:
        """Earliest known free place (mk, pos), pending bound pl, and nu for node i."""
        node, st = self.nodes[i], self.states[i]
        bank = node.bank
        pos = bank.I.argmin(axis=1)
        pos += bank.base
        st.pos = pos
        st.mk = bank.flat.take(pos) - bank.shift
        if node.targets:
            pl: FloatArray | None = None
            for d in node.targets:
                bound = np.maximum(self.states[d].qmin[i], self.states[d].nu)
                pl = bound if pl is None else np.minimum(pl, bound)
            assert pl is not None
            st.pl = pl
            st.nu = np.maximum(st.t, np.minimum(st.mk, pl))
        else:
            st.nu = np.maximum(st.t, st.mk)
        if st.floor is not None:
            np.maximum(st.nu, st.floor, out=st.nu)

    def _arrivals(self, i: int) -> None:
        """Node i's next arrival t: the earliest of its next own arrival and those routed."""
        node, st = self.nodes[i], self.states[i]
        te = st.arr_flat.take(st.ext_pos)
        st.te = te
        t = te
        for u in node.upstream:
            off = st.offsets[u]
            block = st.queue[:, off : off + self.nodes[u].bank.width]
            qarg = block.argmin(axis=1)
            st.qarg[u] = qarg
            qmin = st.qflat.take(st.qstart[u] + qarg)
            st.qmin[u] = qmin
            t = np.minimum(t, qmin)
        st.t = t
        if node.upstream:
            st.from_ext = te <= t

    def _bounds_crossing(self, i: int) -> None:
        """Node i's bounds, applying the month closures its clock has passed."""
        self._bounds(i)
        bank, st = self.nodes[i].bank, self.states[i]
        if bank.has_events:
            hit = np.flatnonzero(st.nu + bank.shift >= bank.next_event)
            while len(hit):
                bank.cross(hit)
                self._bounds(i)
                hit = hit[st.nu[hit] + bank.shift >= bank.next_event[hit]]

    def _sweep(self) -> None:
        n = len(self.nodes)
        if not self.cyclic:  # downstream first: each node's bounds use its targets' fresh ones
            for i in range(n - 1, -1, -1):
                self._arrivals(i)
                self._bounds_crossing(i)
            return
        for i in range(n - 1, -1, -1):
            self._arrivals(i)
        for k in self.cyclic:  # from below: a blocked place frees no earlier than its ready time
            self.states[k].nu = np.full(self.R, -INF)
            self.states[k].floor = None
        for i in range(n - 1, -1, -1):
            self._bounds_crossing(i)
        # Round a cycle, places held by people waiting to move on free only when someone starts
        # elsewhere on it, and the first such start takes a free place: so nobody on the cycle
        # starts before the least, over its services, of (next arrival, earliest free place)
        for members in self.cycles:
            first = np.full(self.R, INF)
            for k in members:
                st = self.states[k]
                np.minimum(first, np.maximum(st.t, st.mk), out=first)
            for k in members:
                st = self.states[k]
                st.floor = np.maximum(st.t, first)
        for _ in range(4 * n + 4):
            before = [self.states[k].nu for k in self.cyclic]
            for i in range(n - 1, -1, -1):
                self._bounds_crossing(i)
            if all(
                np.array_equal(b, self.states[k].nu)
                for b, k in zip(before, self.cyclic, strict=True)
            ):
                break

    def run(self, progress: Callable[[float], None] | None = None) -> None:
        nodes, states = self.nodes, self.states
        n = len(nodes)
        total = sum(int(node.arrivals.shape[0]) for node in nodes)
        steps = 0
        while True:
            if steps % 32 == 0:  # room for the next 32 records of every service
                for i in range(n):
                    self._grow(i, int(states[i].count.max()) + 33)
            self._sweep()
            live_any = False
            moved = False
            for i in range(n):
                node, st = nodes[i], states[i]
                nu = st.nu
                if nu.min() >= PAD:
                    continue
                live_any = True
                ok = nu < PAD
                if node.targets:
                    # exact: the earliest free place is known (or someone is free on arrival)
                    assert st.pl is not None
                    ok &= (st.pl >= st.mk) | (st.t >= st.mk)
                # safe: no ancestor can start anyone (who might come here) before this arrival
                for a in node.ancestors:
                    ok &= st.t <= states[a].nu
                rows = np.flatnonzero(ok)
                if len(rows):
                    self._process(i, rows)
                    moved = True
                    if self.cyclic:  # the others' bounds may have changed: a fresh sweep
                        break
            if not live_any:
                # people still to start where every place is held by someone blocked round a
                # cycle: nothing will ever free
                if any(bool((st.t < PAD).any()) for st in states):
                    raise Deadlock(
                        "people blocked round a cycle of onward routes hold every place "
                        "they wait for, so nobody can move on"
                    )
                break
            if not moved:
                raise Deadlock(
                    "people blocked round a cycle of onward routes hold every place they wait "
                    "for, so nobody can move on"
                )
            steps += 1
            if progress is not None and steps % 256 == 0:
                done = sum(int(s.count.mean()) for s in states)
                progress(min(1.0, done / max(total, 1)))

    def _process(self, i: int, rows: IntArray) -> None:
        nodes, states, R = self.nodes, self.states, self.R
        node, st = nodes[i], states[i]
        bank = node.bank
        t = st.t[rows]
        pos = st.pos[rows]
        start = np.maximum(t, st.mk[rows])
        n = st.count[rows]
        st.count[rows] = n + 1
        rec = n * R + rows
        ready = start + node.stays.reshape(-1).take(rec)
        st.arrival.reshape(-1)[rec] = t
        st.start.reshape(-1)[rec] = start
        st.ready.reshape(-1)[rec] = ready
        if not node.upstream:  # everyone here is external (marked when the records are read)
            st.ext_pos[rows] += R
        else:
            ext = st.from_ext[rows]
            st.external.reshape(-1)[rec] = ext
            if ext.all():
                st.ext_pos[rows] += R
            else:
                st.ext_pos[rows[ext]] += R
                routed = ~ext
                r_rows, r_start, r_t = rows[routed], start[routed], t[routed]
                for u in node.upstream:
                    col = st.qarg[u][r_rows]
                    mine = st.qmin[u][r_rows] == r_t
                    if not mine.all():
                        r_rows_u, col, u_start = r_rows[mine], col[mine], r_start[mine]
                    else:
                        r_rows_u, u_start = r_rows, r_start
                    if not len(r_rows_u):
                        continue
                    st.qflat[st.qstart[u][r_rows_u] + col] = INF
                    up, ust = nodes[u].bank, states[u]
                    place = up.base[r_rows_u] + col
                    ust.leave.reshape(-1)[ust.holder[place] * R + r_rows_u] = u_start
                    up.flat[place] = up.effective(r_rows_u, col, u_start)
        if not node.targets:
            bank.flat[pos] = ready + bank.shift
            st.leave.reshape(-1)[rec] = ready
            return
        dest = np.searchsorted(node.cum_p, node.route_u.reshape(-1).take(rec), side="right")
        leaving = dest >= len(node.targets)
        if leaving.all():
            bank.flat[pos] = ready + bank.shift
            st.leave.reshape(-1)[rec] = ready
            return
        bank.flat[pos] = np.where(leaving, ready + bank.shift, INF)
        st.leave.reshape(-1)[rec[leaving]] = ready[leaving]
        staying = ~leaving
        st.holder[pos[staying]] = n[staying]
        for k, d in enumerate(node.targets):
            sel = dest == k
            if not sel.any():
                continue
            dst = states[d]
            place = pos[sel] - bank.base[rows[sel]]
            dst.qflat[dst.qstart[i][rows[sel]] + place] = ready[sel]
