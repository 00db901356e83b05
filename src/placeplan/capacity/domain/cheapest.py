"""The cheapest capacity: size one service, or linked services together (P2 with P3), to the
least total cost of capacity, acute delays and interim care.

Eliminating every delay is a false economy (Wood et al. 2023; the BNSSG IPACS model): each place
costs its `cost_per_day` every day whether or not it is occupied (places are what is bought),
while each delayed acute bed day costs `acute_bed_day_cost` and each interim day its interim's
rate. Every capacity tried reruns the linked services from the same seed (common random numbers),
so costs move with capacity rather than with chance. The optimum is the capacity of least mean
total cost; its interval is the middle 95% of each replication's own cheapest capacity. Month by
month, the capacity of least cost in each month is given too: months are linked by their queues,
so it is a guide to seasonal capacity, not a separate optimum.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from placeplan.capacity.domain.engine import Progress, offered_load, run
from placeplan.capacity.domain.engine.graph import components
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.statistics import FloatArray, summarise
from placeplan.core.errors import InputError

MAX_POINTS = 400  # capacities tried in all (a grid over linked services multiplies)


@dataclass
class CostPoint:
    """One capacity tried: places added to every month of each sized service, and the costs of
    the linked services over the period, per replication (R,) and by month (R, M)."""

    added: tuple[int, ...]
    capacity_cost: float
    capacity_cost_monthly: list[float]
    delay_cost: FloatArray
    interim_cost: FloatArray
    delayed_bed_days: FloatArray  # a month
    interim_days: FloatArray  # a month
    monthly_total: FloatArray
    unbounded: bool

    @property
    def total(self) -> FloatArray:
        out: FloatArray = self.capacity_cost + self.delay_cost + self.interim_cost
        return out


@dataclass
class CheapestResult:
    scenario: Scenario
    service_ids: tuple[str, ...]
    replications: int
    seed: int
    months: list[str]
    points: list[CostPoint] = field(default_factory=list)

    def capacity(self, k: int, added: int) -> int:
        """The sized service k's capacity (its first month) with `added` places."""
        return max(0, self.scenario.service(self.service_ids[k]).capacity[0] + added)

    def best(self) -> CostPoint:
        return min(self.points, key=lambda p: float(p.total.mean()))

    def interval(self) -> list[dict[str, float]]:
        """Per sized service, the middle 95% of the replications' own cheapest capacities."""
        totals = np.stack([p.total for p in self.points])  # (points, R)
        chosen = np.argmin(totals, axis=0)
        out = []
        for k in range(len(self.service_ids)):
            caps = np.array([self.capacity(k, self.points[i].added[k]) for i in chosen])
            low, high = np.percentile(caps, [2.5, 97.5])
            out.append({"low": float(low), "high": float(high)})
        return out

    def by_month(self) -> list[dict[str, Any]]:
        rows = []
        for m, label in enumerate(self.months):
            means = [float(p.monthly_total[:, m].mean()) for p in self.points]
            i = int(np.argmin(means))
            rows.append(
                {
                    "month": label,
                    "capacity": [self.capacity(k, a) for k, a in enumerate(self.points[i].added)],
                    "total_cost": means[i],
                }
            )
        return rows

    def as_dict(self) -> dict[str, Any]:
        best = self.best()
        now = next((p for p in self.points if not any(p.added)), None)
        return {
            "scenario": self.scenario.name,
            "services": list(self.service_ids),
            "names": [self.scenario.service(s).label for s in self.service_ids],
            "capacity_now": [self.capacity(k, 0) for k in range(len(self.service_ids))],
            "optimum": {
                "capacity": [self.capacity(k, a) for k, a in enumerate(best.added)],
                "added": list(best.added),
                "total_cost": summarise(best.total).as_dict(),
                "interval": self.interval(),
            },
            "total_cost_now": summarise(now.total).as_dict() if now else None,
            "points": [
                {
                    "capacity": [self.capacity(k, a) for k, a in enumerate(p.added)],
                    "added": list(p.added),
                    "capacity_cost": p.capacity_cost,
                    "delay_cost": summarise(p.delay_cost).as_dict(),
                    "interim_cost": summarise(p.interim_cost).as_dict(),
                    "total_cost": summarise(p.total).as_dict(),
                    "delayed_bed_days_per_month": summarise(p.delayed_bed_days).as_dict(),
                    "interim_days_per_month": summarise(p.interim_days).as_dict(),
                    "unbounded": p.unbounded,
                }
                for p in self.points
            ],
            "by_month": self.by_month(),
            "months": self.months,
            "replications": self.replications,
            "seed": self.seed,
        }

    def as_text(self) -> str:
        d = self.as_dict()
        names = ", ".join(d["names"])
        opt = d["optimum"]
        lines = [
            f"{d['scenario']}: the cheapest capacity of {names}",
            f"  ({d['replications']:,} replications, seed {d['seed']}, common random numbers; "
            "a place costs its cost a day whether or not it is occupied)",
            f"  capacity now:      {', '.join(map(str, d['capacity_now']))}",
            f"  cheapest capacity: {', '.join(map(str, opt['capacity']))} "
            f"(replications' own optimum, middle 95%: "
            + "; ".join(f"{i['low']:g} to {i['high']:g}" for i in opt["interval"])
            + ")",
            f"  total cost there:  {opt['total_cost']['value']:,.0f}",
            "",
            f"  {'capacity':<12} {'capacity cost':>14} {'delay cost':>12} {'interim cost':>13} "
            f"{'total':>14} {'delayed bd/mo':>14}",
        ]
        for p in d["points"]:
            lines.append(
                f"  {'/'.join(map(str, p['capacity'])):<12} {p['capacity_cost']:>14,.0f} "
                f"{p['delay_cost']['value']:>12,.0f} {p['interim_cost']['value']:>13,.0f} "
                f"{p['total_cost']['value']:>14,.0f} "
                f"{p['delayed_bed_days_per_month']['value']:>14,.1f}"
                + ("  (grows without bound)" if p["unbounded"] else "")
            )
        return "\n".join(lines) + "\n"


def _grid(scenario: Scenario, service_id: str, points: int) -> list[int]:
    """Places to add to one service: from a little below keeping up with demand to well above."""
    service = scenario.service(service_id)
    load = offered_load(scenario)[service_id]
    caps = [
        c
        for c, seg in zip(
            scenario.segment_capacity(service), scenario.timeline.segments, strict=True
        )
        if seg.reported
    ]
    keep_up = max(math.ceil(ld - c) for ld, c in zip(load, caps, strict=True))
    lo = max(-min(service.capacity), keep_up - max(2, math.ceil(0.1 * max(load))))
    hi = keep_up + max(6, math.ceil(0.4 * max(load)))
    step = max(1, math.ceil((hi - lo) / max(points - 1, 1)))
    grid = list(range(lo, hi + 1, step))
    return sorted(set(grid) | {0})


def cheapest(
    scenario: Scenario,
    service_ids: list[str],
    replications: int = 200,
    seed: int = 1,
    points: int | None = None,
    progress: Progress | None = None,
) -> CheapestResult:
    """Try capacities of the services (jointly when more than one) and cost each."""
    if not service_ids:
        raise InputError("name at least one service to size", field="service")
    ids = [scenario.service(s).id for s in service_ids]
    if len(set(ids)) != len(ids):
        raise InputError("a service is named twice", field="service")
    index = {s.id: i for i, s in enumerate(scenario.services)}
    group = next(g for g in components(scenario) if index[ids[0]] in g)
    for sid in ids[1:]:
        if index[sid] not in group:
            raise InputError(
                f"{ids[0]} and {sid} are not linked by onward routes: size them one at a time",
                field="service",
            )
    per = points or (15 if len(ids) == 1 else 7)
    grids = [_grid(scenario, sid, per) for sid in ids]
    combos = list(itertools.product(*grids))
    if len(combos) > MAX_POINTS:
        raise InputError(f"{len(combos)} capacities to try, over {MAX_POINTS}", field="points")
    result = CheapestResult(
        scenario, tuple(ids), replications, seed, scenario.timeline.labels(), []
    )
    for n, added in enumerate(combos):
        trial = scenario
        for sid, a in zip(ids, added, strict=True):
            trial = trial.with_capacity_added(sid, a)
        result.points.append(_cost(trial, ids, added, replications, seed))
        if progress is not None:
            progress((n + 1) / len(combos))
    return result


def _cost(
    trial: Scenario, ids: list[str], added: tuple[int, ...], replications: int, seed: int
) -> CostPoint:
    res = run(trial, replications, seed, focus=ids[0])
    reported = trial.timeline.reported
    days = [seg.days for seg in reported]
    cap_monthly = [0.0] * len(reported)
    for service in trial.services:
        if service.id not in res.services:
            continue
        caps = [
            c
            for c, seg in zip(trial.segment_capacity(service), trial.timeline.segments, strict=True)
            if seg.reported
        ]
        for m, (c, d) in enumerate(zip(caps, days, strict=True)):
            cap_monthly[m] += c * d * service.cost_per_day
    srs = list(res.services.values())
    delay = sum(sr.period["delayed_bed_day_cost"] for sr in srs)
    interim = sum(sr.period["interim_cost"] for sr in srs)
    monthly = sum(sr.monthly["delayed_bed_day_cost"] + sr.monthly["interim_cost"] for sr in srs)
    return CostPoint(
        added=added,
        capacity_cost=float(sum(cap_monthly)),
        capacity_cost_monthly=cap_monthly,
        delay_cost=np.asarray(delay, dtype=np.float64),
        interim_cost=np.asarray(interim, dtype=np.float64),
        delayed_bed_days=np.asarray(
            sum(sr.period["delayed_bed_days_per_month"] for sr in srs), dtype=np.float64
        ),
        interim_days=np.asarray(
            sum(sr.period["interim_days_per_month"] for sr in srs), dtype=np.float64
        ),
        monthly_total=np.asarray(monthly, dtype=np.float64) + np.array(cap_monthly)[None, :],
        unbounded=any(res.services[s].unbounded for s in ids),
    )
