"""The joint kernel in numpy: services linked by onward routes, stepped for every replication at
once. The fallback where the compiled kernels are not built, and the reference the compiled kernel
is tested against (the same records, bit for bit).

It processes, for each replication, the arrivals that are safe (no earlier arrival can still
appear) and exact (the earliest free place is known), which a conservative discrete-event
argument guarantees to exist.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.base import PAD, Deadlock, Extend, Node, pad_rows

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

INF = np.inf


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
        return pad_rows(self)


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
        extend: Extend,
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
