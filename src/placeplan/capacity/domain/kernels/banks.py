"""Places by replication, with capacity that changes by month: `ServerBank` (float free times, for
the joint kernels) and `PackedBank` (int64 keys, for the single-service fast path)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

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
        self.open_before: list[int] = []  # places open just before each event
        for i in range(1, n):
            closed = np.arange(caps[i], self.c, dtype=np.intp)
            closed = closed[closed < caps[i - 1]]
            if len(closed):
                self.events.append((begins[i], closed, reopen[i, closed]))
                self.open_before.append(min(caps[i - 1], self.c))
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

    def __init__(
        self, replications: int, schedule: Schedule, hold_new_starts: bool = False
    ) -> None:
        plain = ServerBank(replications, schedule)  # closure events and reopening times
        # capacity read as a count: at a fall, the places that close are those that free first
        # (so nobody new starts until occupancy is below the new count); otherwise the places
        # beyond the new count close, each once its occupant leaves
        self.hold_new_starts = hold_new_starts
        self.open_before = plain.open_before
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
            if self.hold_new_starts:
                self._latest_first(self.open_before[p], sel)
            block = self.K[np.ix_(closed, sel)]
            raised = np.maximum(self.values(block), until[:, None])
            self.K[np.ix_(closed, sel)] = self.pack(raised, closed.astype(np.int64)[:, None])
        self.ptr[rows] = np.minimum(ptr + 1, len(self.events))
        self.next_event[rows] = self.event_times[self.ptr[rows]]

    def _latest_first(self, n_open: int, sel: IntArray) -> None:
        """Reorder the free times of places 0..n_open-1 in these replications, latest first, so
        the places about to close are the ones that free soonest. Places are interchangeable, so
        this changes nobody's start but which places a fall in capacity takes."""
        block = self.values(self.K[:n_open][:, sel])
        block = -np.sort(-block, axis=0)
        self.K[:n_open, sel] = self.pack(block, self.index[:n_open])
