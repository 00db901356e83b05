"""An independent discrete-event model of a routed network with blocking, written with simpy.

It shares no code with placeplan's engine: people arrive (Poisson), queue FCFS for a place,
stay (exponential), then with some probability move on to another service, keeping their place
until the next one takes them (blocking after service).
"""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy


@dataclass(frozen=True)
class RefService:
    id: str
    arrivals_per_day: float
    mean_stay: float
    capacity: int
    onward: tuple[tuple[str, float], ...] = ()


def simulate(
    services: list[RefService], days: float, warm_up: float, seed: int
) -> dict[str, dict[str, float]]:
    """One replication: per service, mean wait, share waiting, mean occupancy and blocked days
    (per reported day) over [0, days), after `warm_up` days."""
    rng = random.Random(seed)
    env = simpy.Environment(initial_time=-warm_up)
    by_id = {s.id: s for s in services}
    places = {s.id: simpy.Resource(env, capacity=s.capacity) for s in services}
    waits: dict[str, list[float]] = {s.id: [] for s in services}
    occupied: dict[str, float] = {s.id: 0.0 for s in services}
    blocked: dict[str, float] = {s.id: 0.0 for s in services}

    def overlap(lo: float, hi: float) -> float:
        return max(0.0, min(hi, days) - max(lo, 0.0))

    def person(first: str) -> Generator[Any, Any, None]:
        sid = first
        arrived = env.now
        req = places[sid].request()
        yield req
        while True:
            start = env.now
            if 0.0 <= arrived < days:
                waits[sid].append(start - arrived)
            yield env.timeout(rng.expovariate(1.0 / by_id[sid].mean_stay))
            ready = env.now
            u, nxt = rng.random(), None
            for target, p in by_id[sid].onward:
                if u < p:
                    nxt = target
                    break
                u -= p
            if nxt is None:
                places[sid].release(req)
                occupied[sid] += overlap(start, env.now)
                return
            req2 = places[nxt].request()
            yield req2  # still holding this place: blocking
            places[sid].release(req)
            occupied[sid] += overlap(start, env.now)
            blocked[sid] += overlap(ready, env.now)
            sid, arrived, req = nxt, ready, req2

    def source(s: RefService) -> Generator[Any, Any, None]:
        while True:
            yield env.timeout(rng.expovariate(s.arrivals_per_day))
            if env.now >= days:
                return
            env.process(person(s.id))

    for s in services:
        if s.arrivals_per_day > 0:
            env.process(source(s))
    env.run(until=days + 400.0)
    out: dict[str, dict[str, float]] = {}
    for s in services:
        w = waits[s.id]
        out[s.id] = {
            "mean_wait_days": sum(w) / len(w) if w else 0.0,
            "p_wait": sum(1 for x in w if x > 0) / len(w) if w else 0.0,
            "mean_occupancy": occupied[s.id] / days,
            "blocked_days_per_day": blocked[s.id] / days,
        }
    return out
