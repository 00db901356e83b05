"""Per-replication monthly measures, accumulated block by block, and their summaries.

Each replication's people arrive, start and leave; the measures over a month are sums over people
(counts by the month of arrival or start) and integrals over time (occupancy, queue, delayed bed
days), which are differences of sums of min(time, month boundary). Everything is binned by month
with cheap comparisons and `numpy.bincount`, so no per-person Python runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.compiled.built import AVAILABLE as COMPILED
from placeplan.capacity.domain.kernels.compiled.built import accumulate as compiled
from placeplan.capacity.domain.kernels.compiled.built import intervals

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

WAIT_CAP = 1e9  # a start never reached (no capacity ever again) counts as this long a wait

# waiting-time histogram: exact zero, then 0.01-day bins to 5 days, 0.25 to 100, 5-day to 2,000
_H1, _H2, _H3 = 500, 380, 380
HIST_BINS = 1 + _H1 + _H2 + _H3 + 1


def _hist_edges() -> FloatArray:
    e1 = np.arange(_H1 + 1) * 0.01
    e2 = 5.0 + np.arange(1, _H2 + 1) * 0.25
    e3 = 100.0 + np.arange(1, _H3 + 1) * 5.0
    return np.concatenate([e1, e2, e3])


HIST_EDGES = _hist_edges()  # upper edge of bin b is HIST_EDGES[b] (bin 0: waits of exactly 0)
# the compiled pass's stand-ins for "no external mask" and "no times to arrange"
_NO_MASK = np.zeros((1, 1), dtype=np.bool_)
_NO_DRAWS = np.zeros((1, 1))


def _hist_bin(w: FloatArray) -> IntArray:
    """Histogram bin of positive waits (1 .. HIST_BINS - 1): a piecewise-linear map, floored."""
    b = np.minimum(w, 5.0)
    b *= 100.0
    b += np.clip(w - 5.0, 0.0, 95.0) * 4.0
    b += np.clip(w - 100.0, 0.0, 5.0 * _H3) / 5.0
    out: IntArray = b.astype(np.intp)
    out += 1
    np.minimum(out, HIST_BINS - 1, out=out)
    return out


class Accumulator:
    """Monthly sums for one service, per replication, over the reported months.

    For each kind of time v (arrival a, start s, ready e, leave l) it keeps, per replication and
    month boundary b_m, H_v(b_m) = sum of min(v, b_m) and N_v(b_m) = count of v < b_m. The
    person-days inside [x, y) intervals in month m are then H_y - H_x differenced over m, and
    the counts of v in month m are N_v differenced.
    """

    def __init__(self, replications: int, bounds: FloatArray) -> None:
        self.R = replications
        self.bounds = np.asarray(bounds, dtype=np.float64)  # b_0 = 0 .. b_M = T
        self.M = len(bounds) - 1
        self.T = float(bounds[-1])
        self.nb = self.M + 2  # bin 0: before start; 1..M: months; M+1: at or after the end
        self.size = replications * self.nb
        self.H: dict[str, FloatArray] = {}
        self.N: dict[str, FloatArray] = {}
        self.sums: dict[str, FloatArray] = {}
        self._hist_parts: list[NDArray[np.int32]] = []
        # occupancy of people in service at the very start: H(b_m) per replication
        self.occ_extra = np.zeros((replications, self.M + 1))
        # the waiters' sums and interval sums compiled (`kernels.compiled.accumulate`,
        # `.intervals`) where they are built, else in numpy: the same sums either way
        self.compiled = COMPILED
        self._space: dict[str, NDArray[Any]] = {}
        self._codes = np.empty(0, dtype=np.int32)
        self._n_codes = 0

    def _add(self, name: str, flat: IntArray, weights: FloatArray | None = None) -> None:
        counts = np.bincount(flat, weights=weights, minlength=self.size).astype(np.float64)
        if name in self.sums:
            self.sums[name] += counts
        else:
            self.sums[name] = counts

    def _buffer(self, shape: tuple[int, ...]) -> FloatArray:
        if self._buf is None or self._buf.shape != shape:
            self._buf = np.empty(shape)
        return self._buf

    _buf: FloatArray | None = None

    def _times(
        self, name: str, v: FloatArray, mask: BoolArray | None = None, counts: bool = True
    ) -> None:
        """Add H (and N if `counts`) for times v (B, R), capped at the end of the period.

        Masked-out people count nowhere in H (N is not kept for masked times).
        """
        rows = v.shape[0]
        if rows == 0:
            return
        T = self.T
        if mask is not None:
            v = np.where(mask, np.minimum(v, T), 0.0)
        lo, hi = float(v.min()), float(v.max())
        if hi > T:
            v = np.minimum(v, T)
            hi = T
        H = self.H.setdefault(name, np.zeros((self.R, self.M + 1)))
        N = self.N.setdefault(name, np.zeros((self.R, self.M + 1))) if counts else None
        colsum: FloatArray | None = None
        buf = self._buffer(v.shape)
        for m, b in enumerate(self.bounds):
            if b <= lo:
                H[:, m] += b * rows if mask is None else b * mask.sum(axis=0)
            elif b > hi:
                if colsum is None:
                    colsum = v.sum(axis=0)
                H[:, m] += colsum
                if N is not None:
                    N[:, m] += rows
            else:
                np.minimum(v, b, out=buf)
                H[:, m] += buf.sum(axis=0)
                if N is not None:
                    N[:, m] += np.count_nonzero(v < b, axis=0)

    def _bins(self, v: FloatArray, rep: IntArray) -> IntArray:
        """Flat (replication, month) index: comparisons with the few boundaries in range."""
        idx: IntArray = rep * self.nb
        if not len(v):
            return idx
        lo, hi = float(v.min()), float(v.max())
        k0 = int(np.searchsorted(self.bounds, lo, side="right"))
        k1 = int(np.searchsorted(self.bounds, hi, side="right"))
        idx += k0
        for b in self.bounds[k0:k1]:
            idx += v >= b
        return idx

    def add_block(
        self,
        a: FloatArray,
        s: FloatArray,
        ready: FloatArray,
        leave: FloatArray | None,
        external: BoolArray | None,
        discharge: bool,
        arrange: Callable[[int], FloatArray] | None = None,
    ) -> None:
        """Add one block (B, R) of people: arrival, start, ready to leave, and leave times.

        leave None means leave == ready (nobody blocked); external None means all are external.
        `discharge`: count discharge-ready-date delays (people waiting in an acute bed).
        `arrange`: for a service whose waiters go to an interim alternative, draws that many
        times to arrange it (days spent in an acute bed first; zeros when it is there at once).
        """
        T = self.T
        s = snap_to_bounds(s, self.bounds, a)
        self._times("a", a)
        self._times("s", s)
        self._times("e", ready, counts=False)
        if leave is not None:
            self._times("l", leave, counts=False)
        if external is not None:
            self._times("ax", a, external, counts=False)
            self._times("sx", s, external, counts=False)
            ext_idx = np.flatnonzero(external.ravel())
            self._add("ext.n", self._bins(a.ravel()[ext_idx], ext_idx % self.R))
        if self.compiled:
            self._waiters(a, s, external, discharge, arrange)
            return
        # the people who waited: usually a small share, handled compacted
        w = self._buffer(a.shape)
        np.subtract(s, a, out=w)
        idx = np.flatnonzero(w.ravel() > 0.0)
        if not len(idx):
            return
        wa, ws = a.ravel()[idx], s.ravel()[idx]
        ww = np.minimum(ws, WAIT_CAP) - wa
        rep = idx % self.R
        fa = self._bins(wa, rep)
        self._add("wait.sum", fa, ww)
        self._add("waited", fa)
        self._add("over2", fa[ww > 2.0])
        ext_sub = external.ravel()[idx] if external is not None else None
        if ext_sub is not None:
            self._add("ext.waited", fa[ext_sub])
        if discharge:
            left_acute = np.minimum(ws, WAIT_CAP)
            if arrange is not None:
                left_acute = self._interim(wa, left_acute, arrange(len(idx)), rep, fa, ext_sub)
            late = np.floor(left_acute) - np.floor(wa)
            if ext_sub is not None:
                late *= ext_sub
            self._add("drd.late", fa[late > 0.0])
            self._add("drd.days", fa, late)
        reported = (wa >= 0.0) & (wa < T)
        self._hist_parts.append(
            (rep[reported] * HIST_BINS + _hist_bin(ww[reported])).astype(np.int32)
        )

    def _waiters(
        self,
        a: FloatArray,
        s: FloatArray,
        external: BoolArray | None,
        discharge: bool,
        arrange: Callable[[int], FloatArray] | None,
    ) -> None:
        """The numpy path's sums over the people who waited, compiled (one pass); the times to
        arrange are drawn as there, one for each waiter, in the same order."""
        a, s = np.ascontiguousarray(a), np.ascontiguousarray(s)
        n = compiled.count_waiters(a, s)
        if not n:
            return
        has_arrange = discharge and arrange is not None
        arranging = arrange(n) if has_arrange and arrange is not None else np.zeros(0)
        # working arrays kept from block to block: fresh ones cost a page fault every 4 kB
        sums = self._scratch("sums", compiled.SUM_ROWS * self.nb * self.R, np.float64)
        sums = sums.reshape(compiled.SUM_ROWS, self.nb, self.R)
        sums.fill(0.0)
        m = n if has_arrange else 0
        acute = self._scratch("acute", 2 * m, np.float64).reshape(2, m)
        interim = self._scratch("interim", 2 * m, np.float64).reshape(2, m)
        acute_rep = self._scratch("acute_rep", m, np.intp)
        interim_rep = self._scratch("interim_rep", m, np.intp)
        if self._codes.shape[0] < self._n_codes + n:  # the histogram's codes, appended
            grown = np.empty(max(2 * self._codes.shape[0], self._n_codes + n), np.int32)
            grown[: self._n_codes] = self._codes[: self._n_codes]
            self._codes = grown
        codes = self._codes[self._n_codes : self._n_codes + n]
        found = np.zeros(3, np.intp)
        ext = _NO_MASK if external is None else np.ascontiguousarray(external)
        compiled.waiters(
            a, s, ext, external is not None, discharge, arranging, has_arrange, self.bounds,
            self.T, WAIT_CAP, sums, codes, HIST_BINS, acute, acute_rep, interim, interim_rep,
            found,
        )  # fmt: skip
        names = ["wait.sum", "waited", "over2"]
        names.append("ext.waited" if external is not None else "")
        names += ["drd.late", "drd.days"] if discharge else ["", ""]
        names.append("interim.n" if has_arrange else "")
        for name, by_month in zip(names, sums, strict=True):
            if not name:
                continue
            flat = by_month.T.reshape(-1)  # (replication, month) order, as the numpy path's
            if name in self.sums:
                self.sums[name] += flat
            else:
                self.sums[name] = flat
        self._n_codes += int(found[2])
        if has_arrange:
            na, ni = int(found[0]), int(found[1])
            self._interval("acute", acute[0, :na], acute[1, :na], acute_rep[:na])
            self._interval("interim", interim[0, :ni], interim[1, :ni], interim_rep[:ni])

    def _scratch(self, name: str, size: int, dtype: type) -> NDArray[Any]:
        """A working array of `size` items, reused from block to block."""
        space = self._space.get(name)
        if space is None or space.shape[0] < size:
            space = self._space[name] = np.empty(
                max(size, 2 * (0 if space is None else len(space))), dtype
            )
        return space[:size]

    def _interim(
        self,
        wa: FloatArray,
        ws: FloatArray,
        arranging: FloatArray,
        rep: IntArray,
        fa: IntArray,
        ext: BoolArray | None,
    ) -> FloatArray:
        """Split waiters' waits into days in an acute bed while the interim is arranged and days
        in the interim after it (none if the place frees first); returns when each left the
        acute bed."""
        left_acute: FloatArray = np.minimum(ws, wa + arranging)
        placed = ws > left_acute
        if ext is not None:
            placed &= ext
            self._interval("acute", wa[ext], left_acute[ext], rep[ext])
        else:
            self._interval("acute", wa, left_acute, rep)
        self._interval("interim", left_acute[placed], ws[placed], rep[placed])
        self._add("interim.n", fa[placed])
        return left_acute

    def _interval(self, name: str, x: FloatArray, y: FloatArray, rep: IntArray) -> None:
        """Add, per replication and month boundary b, the days of [x, y) before b."""
        acc = self.H.setdefault(f"interval.{name}", np.zeros((self.R, self.M + 1)))
        if not len(x):
            return
        T = self.T
        # the span of the capped times: only the boundaries inside it need a pass of their own
        # (before it every day is after b, so each adds exactly 0; after it every whole
        # interval is before b, so each adds exactly y - x, the same sums)
        lo = min(float(x.min()), float(y.min()), T)
        hi = min(max(float(x.max()), float(y.max())), T)
        inside = [m for m, b in enumerate(self.bounds) if lo < b < hi]
        after = [m for m, b in enumerate(self.bounds) if b >= hi]
        if self.compiled:
            sums = np.zeros((self.R, len(inside) + 1))
            intervals.interval_sums(x, y, rep, T, self.bounds[inside], sums)
            for j, m in enumerate(inside):
                acc[:, m] += sums[:, j]
            whole = sums[:, -1]
        else:
            x = np.minimum(x, T)
            y = np.minimum(y, T)
            for m in inside:
                b = self.bounds[m]
                acc[:, m] += np.bincount(
                    rep, weights=np.minimum(y, b) - np.minimum(x, b), minlength=self.R
                )
            whole = np.asarray(np.bincount(rep, weights=y - x, minlength=self.R), np.float64)
        for m in after:
            acc[:, m] += whole

    def interval(self, name: str) -> FloatArray:
        """Per month (R, M): the days inside the intervals added as `name`."""
        key = f"interval.{name}"
        if key not in self.H:
            return np.zeros((self.R, self.M))
        return np.diff(self.H[key], axis=1)

    def add_initial(self, t0: float, ends: FloatArray) -> None:
        """People in service at t0 (shape (n, R)): their occupancy until they leave."""
        if ends.size == 0:
            return
        for m, b in enumerate(self.bounds):
            self.occ_extra[:, m] += (np.minimum(ends, b) - min(t0, b)).clip(min=0.0).sum(axis=0)

    # ---- results -------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.H

    def monthly(self, name: str) -> FloatArray:
        """(R, M) sums by month of arrival (zeros when nothing was added)."""
        if name not in self.sums:
            return np.zeros((self.R, self.M))
        return self.sums[name].reshape(self.R, self.nb)[:, 1 : self.M + 1]

    def counts(self, name: str) -> FloatArray:
        """(R, M): how many of these times fell in each month."""
        if name not in self.N:
            return np.zeros((self.R, self.M))
        return np.diff(self.N[name], axis=1)

    def before_end(self, name: str) -> FloatArray:
        """(R,): how many of these times fell before the end of the period (warm-up included)."""
        return self.N[name][:, -1] if name in self.N else np.zeros(self.R)

    def integral(self, start: str, end: str) -> FloatArray:
        """Per month (R, M): total person-days inside [start, end) intervals."""
        if start not in self.H or end not in self.H:
            return np.zeros((self.R, self.M))
        return np.diff(self.H[end] - self.H[start], axis=1)

    def histogram(self) -> FloatArray:
        """(R, HIST_BINS) counts of positive waits of people arriving in the period."""
        if self._hist is not None:
            return self._hist
        if self._n_codes:  # the compiled pass's codes
            self._hist_parts.append(self._codes[: self._n_codes])
            self._n_codes = 0
        if len(self._hist_parts) != 1:
            merged = np.concatenate(self._hist_parts) if self._hist_parts else np.zeros(0, np.int32)
            self._hist_parts = [merged]
        counts = np.bincount(self._hist_parts[0], minlength=self.R * HIST_BINS)
        self._hist = counts.reshape(self.R, HIST_BINS).astype(np.float64)
        return self._hist

    _hist: FloatArray | None = None

    def shares_within(self, days: tuple[float, ...]) -> list[FloatArray]:
        """Per replication, the share of people arriving in the period who start within each
        number of days (a wait shorter than it), read off the histogram at a bin edge."""
        arrivals = self.counts("a").sum(axis=1)
        hist = self.histogram().copy()
        hist[:, 0] = np.maximum(arrivals - hist.sum(axis=1), 0.0)
        cum = np.cumsum(hist, axis=1)
        out = []
        for d in days:
            edge = np.flatnonzero(np.isclose(HIST_EDGES, d))
            if len(edge) != 1:
                raise ValueError(f"{d} days is not an edge of the waiting-time histogram")
            out.append(ratio(cum[:, int(edge[0])], cum[:, -1]))
        return out

    def percentile_waits(self, qs: tuple[float, ...]) -> list[FloatArray]:
        """Per replication, the q-quantiles (0..1) of waits of people arriving in the period."""
        arrivals = self.counts("a").sum(axis=1)
        hist = self.histogram().copy()
        hist[:, 0] = np.maximum(arrivals - hist.sum(axis=1), 0.0)
        cum = np.cumsum(hist, axis=1)
        total = cum[:, -1]
        rows = np.arange(self.R)
        results = []
        for q in qs:
            target = q * total
            b = (cum < target[:, None]).sum(axis=1)
            b = np.minimum(b, HIST_BINS - 1)
            before = np.where(b > 0, cum[rows, np.maximum(b - 1, 0)], 0.0)
            lo = np.where(b > 0, HIST_EDGES[np.maximum(b - 1, 0)], 0.0)
            hi = HIST_EDGES[np.minimum(b, len(HIST_EDGES) - 1)]
            frac = np.clip((target - before) / np.maximum(hist[rows, b], 1e-12), 0.0, 1.0)
            out: FloatArray = np.where(b == 0, 0.0, lo + (hi - lo) * frac)
            out[total <= 0] = np.nan
            results.append(out)
        return results


# a start this close below a month boundary is taken to be at it: places that open at a boundary
# (a surge, a rise in capacity) hand out starts computed in a shifted, packed time base, which can
# land a few ulps early and would otherwise count in the month before
SNAP_DAYS = 1e-8


def snap_to_bounds(v: FloatArray, bounds: FloatArray, after: FloatArray) -> FloatArray:
    """Start times v with every one within SNAP_DAYS below one of `bounds` (and later than the
    arrival `after`: someone who waited for a place to open) moved up onto it."""
    if not v.size:
        return v
    lo, hi = float(v.min()), float(v.max())
    out = v
    for b in bounds:
        if lo < b and hi > b - SNAP_DAYS:
            near = (v < b) & (v >= b - SNAP_DAYS) & (v > after)
            if near.any():
                if out is v:
                    out = v.copy()
                out[near] = b
    return out


@dataclass(frozen=True)
class Stat:
    """A measure over replications: the mean, its 95% interval, and the replications' spread."""

    value: float | None
    low: float | None
    high: float | None
    p2_5: float | None
    p97_5: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "p2_5": self.p2_5,
            "p97_5": self.p97_5,
        }


def t_975(df: int) -> float:
    """The 97.5% point of Student's t with df degrees of freedom."""
    table = {
        1: 12.706,
        2: 4.303,
        3: 3.182,
        4: 2.776,
        5: 2.571,
        6: 2.447,
        7: 2.365,
        8: 2.306,
        9: 2.262,
        10: 2.228,
        15: 2.131,
        20: 2.086,
        30: 2.042,
    }
    if df in table:
        return table[df]
    z = 1.959964
    if df < 1:
        return math.nan
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def _clean(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def summarise(values: FloatArray) -> Stat:
    """Mean over replications, its 95% confidence interval, and the 2.5/97.5 percentiles."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return Stat(None, None, None, None, None)
    mean = float(v.mean())
    if n > 1:
        half = t_975(n - 1) * float(v.std(ddof=1)) / math.sqrt(n)
        low, high = mean - half, mean + half
        p_lo, p_hi = (float(x) for x in np.percentile(v, [2.5, 97.5]))
    else:
        low = high = p_lo = p_hi = mean
    return Stat(_clean(mean), _clean(low), _clean(high), _clean(p_lo), _clean(p_hi))


def summarise_rows(rows: FloatArray) -> list[Stat]:
    """`summarise` of each row of (M, R) values, at once: each row is reduced along itself, as
    `summarise` reduces one contiguous array (the same sums, so the same numbers), in a few numpy
    calls instead of a few per row (a run's report has about a thousand)."""
    rows = np.ascontiguousarray(rows, dtype=np.float64)
    n = rows.shape[1]
    if n < 2 or not np.isfinite(rows).all():  # summarise drops non-finite values row by row
        return [summarise(row) for row in rows]
    means = rows.mean(axis=1)
    sds = rows.std(axis=1, ddof=1)
    lows, highs = np.percentile(rows, [2.5, 97.5], axis=1)
    t = t_975(n - 1)
    out = []
    for mean, sd, p_lo, p_hi in zip(means, sds, lows, highs, strict=True):
        m = float(mean)
        half = t * float(sd) / math.sqrt(n)
        out.append(Stat(_clean(m), _clean(m - half), _clean(m + half), _clean(float(p_lo)),
                        _clean(float(p_hi))))  # fmt: skip
    return out


def ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den, NaN where den is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out
