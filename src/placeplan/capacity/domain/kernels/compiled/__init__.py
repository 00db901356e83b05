"""The joint (routed) kernel compiled: the same simulation as `joint_numpy.JointKernel`, one
replication at a time, in C (`loop.pyx`, built by Cython at set-up; see `built`).

`JointKernel` steps every replication at once with numpy; most of its time goes on Python
overhead and `argmin` over (replications x places) arrays, thousands of times. Here each
replication runs the very same rules (the same bounds, the same "safe and exact" test, the same
month closures, the same processing order, so the same records bit for bit) as a compiled loop,
with each service's places and each routed queue in an indexed binary heap keyed by (time,
index), whose top is exactly numpy's `argmin` (the first of equal times).

A replication that needs more stays or route draws than were sampled stops; the caller draws more
rows with the same `extend` (so the same numbers as the numpy kernel would use) and runs it again
from its start. Replications are independent, so chunks of them run on two threads at once (the
loop releases the GIL), each with its own working arrays, giving the serial run's records (a
test checks it).

The kernels were compiled with numba until December 2026; numba's import and its first call
(loading its disk cache) took about 0.4 s of every `placeplan capacity run`, while the Cython
extensions import in milliseconds and run the same loops (docs/capacity.md).
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.base import PAD, Deadlock, Extend, Node, pad_rows
from placeplan.capacity.domain.kernels.compiled.built import AVAILABLE, loop

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

_DONE, _GROW, _DEADLOCK = 0, 1, 2  # the loop's run status (`loop.pyx`)

CHUNK = 64  # replications per compiled call, between progress reports
# chunks run at once, on threads (the compiled loop releases the GIL; replications are independent)
THREADS = max(1, min(2, os.cpu_count() or 1))


def _workspace(ctot: int, qtot: int, n: int, n_up: int, n_cycles: int) -> tuple[Any, ...]:
    """The loop's working arrays (allocated here: the compiled loop allocates nothing)."""
    f, i, b = np.float64, np.intp, np.uint8  # b: flags, as the loop reads them
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
        return pad_rows(self)


def _offsets(sizes: list[int]) -> IntArray:
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)


class CompiledJointKernel:
    """`JointKernel`'s simulation, compiled: the same inputs (nodes, extend) and the same
    records (`states[k]` with arrival, start, ready, leave, external, count and `padded`)."""

    def __init__(
        self,
        nodes: list[Node],
        extend: Extend,
        threads: int | None = None,
    ) -> None:
        """Lay the nodes out flat, as the compiled loop reads them. One piece (about 80 lines):
        every array here is an offset table or a concatenation over the same nodes."""
        if not AVAILABLE:  # pragma: no cover
            raise RuntimeError("the compiled kernels are not built (run `make setup`)")
        self.nodes = nodes
        self.extend = extend
        self.threads = THREADS if threads is None else max(1, threads)
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
        self.sizes = (self.F0.shape[1], max(base, 1), n, len(self.up), self.n_cycles)
        self.work = self._workspace()
        self.outputs: tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray] | None
        self.outputs = None
        self.soff = np.zeros(n + 1, dtype=np.intp)
        self._pack()
        self.states: list[Records] = []

    def _workspace(self) -> tuple[Any, ...]:
        return _workspace(*self.sizes)

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

    def _chunk(self, begin: int, end: int, work: tuple[Any, ...]) -> tuple[int, int, int]:
        """Run replications begin .. end - 1 in `work` (the compiled loop releases the GIL)."""
        assert self.outputs is not None  # _pack made them
        status, at, node = loop.run(
            begin, end, self.R, len(self.nodes), self.width, self.foff, self.F0, self.shift,
            self.ev_off, self.ev_n, self.ev_time, self.cl_off, self.cl_place, self.cl_until,
            self.per_off, self.per_n, self.per_begin, self.cu_off, self.closed_until,
            self.arr, self.aoff, self.cap, self.soff, self.stays, self.route, self.cp_off,
            self.cum_p, self.tg_off, self.tg, self.tq_off, self.up_off, self.up, self.qb_off,
            self.an_off, self.an, self.is_cyclic, self.cycle_of, self.n_cycles, PAD,
            *self.outputs[:4], self.outputs[4].view(np.uint8), self.counts, *work,
        )  # fmt: skip
        if status == _DEADLOCK:
            raise Deadlock(
                "people blocked round a cycle of onward routes hold every place they wait "
                "for, so nobody can move on"
            )
        return int(status), int(at), int(node)

    def run(self, progress: Callable[[float], None] | None = None) -> None:
        chunks = [(r, min(self.R, r + CHUNK)) for r in range(0, self.R, CHUNK)]
        workers = min(self.threads, len(chunks))
        if workers > 1:
            self._run_threaded(chunks, workers, progress)
        else:
            self._run_serial(progress)
        self._records()

    def _run_serial(self, progress: Callable[[float], None] | None) -> None:
        r = 0
        while r < self.R:
            end = min(self.R, r + CHUNK)
            status, at, node = self._chunk(r, end, self.work)
            if status == _GROW:
                self._grow(node)
                r = at  # run that replication again from its start, with more draws
                continue
            r = end
            if progress is not None:
                progress(r / self.R)

    def _run_threaded(
        self,
        chunks: list[tuple[int, int]],
        workers: int,
        progress: Callable[[float], None] | None,
    ) -> None:
        """The chunks on `workers` threads, each with its own working arrays; replications are
        independent and each writes only its own records, so the records are those of the serial
        run. A chunk that needs more draws stops at the replication that ran out: when every
        chunk in flight has returned, each node that ran out draws more once, from its own
        streams (so the same rows, in the same order, as the serial run draws: a node grows only
        when a replication needs more than it has, and always by the same step), and the
        unfinished chunks run again from where they stopped."""
        spare: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        spare.put(self.work)
        for _ in range(workers - 1):
            spare.put(self._workspace())

        def chunk(begin: int, end: int) -> tuple[int, int, int]:
            work = spare.get()
            try:
                return self._chunk(begin, end, work)
            finally:
                spare.put(work)

        done = 0
        pending = chunks
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while pending:
                futures = {pool.submit(chunk, b, e): (b, e) for b, e in pending}
                pending, short = [], set()
                try:
                    for future in as_completed(futures):
                        begin, end = futures[future]
                        status, at, node = future.result()
                        if status == _GROW:
                            short.add(node)
                            pending.append((at, end))
                            done += at - begin
                        else:
                            done += end - begin
                        if progress is not None and done:
                            progress(done / self.R)
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
                for node in sorted(short):
                    self._grow(node)
                pending.sort()

    def _records(self) -> None:
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
