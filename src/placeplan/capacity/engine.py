"""Run a scenario: simulate every replication, then measure each service month by month.

Services that route nobody onward and receive nobody from another service run on the fast
single-queue kernel, streamed in blocks; services linked by onward routes run together on the joint
kernel, which resolves blocking exactly. Replications run in batches of at most `BATCH`, each batch
with its own seeded streams, so results depend only on the seed and the number of replications.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity import kernel_numba
from placeplan.capacity.arrivals import PAD, ArrivalStream, expected_arrivals
from placeplan.capacity.kernel import (
    Deadlock,
    JointKernel,
    Node,
    PackedBank,
    Schedule,
    ServerBank,
    run_single,
)
from placeplan.capacity.scenario import Scenario, Service
from placeplan.capacity.statistics import Accumulator, ratio
from placeplan.core.errors import InputError

FloatArray = NDArray[np.float64]
Progress = Callable[[float], None]

BATCH = 1000
THREADS = max(1, min(2, os.cpu_count() or 1))  # groups simulated at once
BLOCK = 512
# routed services on the compiled kernel (kernel_numba) when numba imports, else on numpy's
# JointKernel; both give the same records (tests/capacity/test_capacity_kernel_numba.py)
NUMBA = kernel_numba.AVAILABLE
MAX_REPLICATIONS = 100_000

# stream purposes within a service
_ARRIVALS, _STAYS, _ROUTES, _START = 0, 1, 2, 3


# the waiting-time distribution reported per service: the share starting within each of these
# many days (edges of the accumulators' histogram, so exact, not interpolated)
WAIT_BANDS = (0.5, 1.0, 2.0, 7.0, 14.0, 28.0)


def wait_band_key(days: float) -> str:
    return f"start_within_{days:g}_days".replace(".", "_")


def _rng(seed: int, batch: int, service: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(batch, service, purpose)))


@dataclass
class ServiceResult:
    """Per-replication measures of one service: monthly (R, M) and over the period (R,)."""

    service: Service
    capacity: list[int]
    load: list[float]
    monthly: dict[str, FloatArray] = field(default_factory=dict)
    period: dict[str, FloatArray] = field(default_factory=dict)
    unbounded: bool = False
    message: str | None = None


@dataclass
class RunResult:
    """Everything one run measured, per replication; `report` turns it into numbers with CIs."""

    scenario: Scenario
    replications: int
    seed: int
    months: list[str]
    month_days: list[float]
    services: dict[str, ServiceResult]
    discharge_monthly: dict[str, FloatArray]
    discharge_period: dict[str, FloatArray]
    total_cost: FloatArray
    elapsed_seconds: float
    warnings: list[str]


def schedule_for(scenario: Scenario, service: Service) -> Schedule:
    """Capacity by month over the simulated span, then 12 more months (no surge) after it."""
    tl = scenario.timeline
    caps = scenario.segment_capacity(service)
    begins = [seg.begin for seg in tl.segments]
    last = tl.segments[-1]
    step = last.end - last.begin if last.end - last.begin > 27 else 365.0 / 12
    t = float(scenario.days)
    cycle = (last.cycle + 1) % 12
    for _ in range(12):
        begins.append(t)
        caps.append(service.capacity[cycle])
        t += step
        cycle = (cycle + 1) % 12
    return Schedule(begins, caps)


def topological(scenario: Scenario) -> list[int]:
    """Services in an order where every onward route goes forward, except within a cycle.

    Services on a cycle (a strongly connected set) come together, in file order, after every
    service that routes into the set and before every one it routes to."""
    n = len(scenario.services)
    idx = {s.id: i for i, s in enumerate(scenario.services)}
    succ = [[idx[t] for t, _ in s.onward] for s in scenario.services]
    # Tarjan's strongly connected components, iteratively (sets come out downstream first)
    counter = [0]
    number = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    sets: list[list[int]] = []
    for root in range(n):
        if number[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                number[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on_stack[v] = True
            if k < len(succ[v]):
                work.append((v, k + 1))
                w = succ[v][k]
                if number[w] < 0:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], number[w])
                continue
            for w in succ[v]:
                if on_stack[w] or number[w] > number[v]:
                    low[v] = min(low[v], low[w])
            if low[v] == number[v]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    members.append(w)
                    if w == v:
                        break
                sets.append(sorted(members))
    # Kahn's algorithm over the sets, file order among those ready
    set_of = {i: k for k, members in enumerate(sets) for i in members}
    indeg = [0] * len(sets)
    for i in range(n):
        for j in succ[i]:
            if set_of[i] != set_of[j]:
                indeg[set_of[j]] += 1
    out: list[int] = []
    ready = sorted((k for k in range(len(sets)) if indeg[k] == 0), key=lambda k: sets[k][0])
    while ready:
        k = ready.pop(0)
        out.extend(sets[k])
        for i in sets[k]:
            for j in succ[i]:
                if set_of[j] != k:
                    indeg[set_of[j]] -= 1
                    if indeg[set_of[j]] == 0:
                        ready.append(set_of[j])
        ready.sort(key=lambda k: sets[k][0])
    return out


def components(scenario: Scenario) -> list[list[int]]:
    """Groups of services linked by onward routes, each in topological order."""
    n = len(scenario.services)
    idx = {s.id: i for i, s in enumerate(scenario.services)}
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, s in enumerate(scenario.services):
        for t, _ in s.onward:
            parent[find(i)] = find(idx[t])
    order = topological(scenario)
    groups: dict[int, list[int]] = {}
    for i in order:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def offered_load(scenario: Scenario) -> dict[str, list[float]]:
    """Expected places needed per reported month (arrivals a day x mean stay), routes included.

    Arrivals a day at each service are its own plus the routed shares of the others':
    rate = own + P^T rate, solved exactly (cycles included: every cycle has an exit, so
    I - P^T is invertible)."""
    reported = scenario.timeline.reported
    services = scenario.services
    idx = {s.id: i for i, s in enumerate(services)}
    n = len(services)
    routes = np.zeros((n, n))
    for i, s in enumerate(services):
        for target, p in s.onward:
            routes[i, idx[target]] += p
    own = np.array(
        [
            [expected_arrivals(scenario, s, seg.begin, seg.end) / seg.days for seg in reported]
            for s in services
        ]
    )
    rates = np.linalg.solve(np.eye(n) - routes.T, own)
    return {
        s.id: [float(r) * s.length_of_stay.mean for r in rates[i]] for i, s in enumerate(services)
    }


def run(
    scenario: Scenario,
    replications: int = 1000,
    seed: int = 1,
    progress: Progress | None = None,
    focus: str | None = None,
) -> RunResult:
    """Simulate the scenario `replications` times from `seed` and measure it.

    `focus`: simulate only the services linked (by onward routes) to this one; the others are left
    out of the result. Its numbers are the same as in a full run.
    """
    if replications < 1 or replications > MAX_REPLICATIONS:
        raise InputError(
            f"replications must be between 1 and {MAX_REPLICATIONS:,}", field="replications"
        )
    if seed < 0:
        raise InputError("the seed must be a whole number of at least 0", field="seed")
    began = time.perf_counter()
    tl = scenario.timeline
    reported = tl.reported
    bounds = np.array([seg.begin for seg in reported] + [float(scenario.days)])
    groups = components(scenario)
    if focus is not None:
        target = scenario.index(focus)
        groups = [g for g in groups if target in g]
    included = sorted(i for g in groups for i in g)
    n_batches = (replications + BATCH - 1) // BATCH
    accs: list[list[Accumulator]] = []
    work_total = n_batches * len(included)

    done = [0.0]
    lock = threading.Lock()

    def report(delta: float) -> None:
        if progress is not None:
            with lock:
                done[0] += delta
                fraction = min(1.0, done[0] / work_total)
            progress(fraction)

    # groups share nothing (own streams, own accumulators), so they run side by side: the
    # kernels spend most of their time in numpy loops, which release the GIL
    workers = min(THREADS, len(groups))
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for b in range(n_batches):
            R = min(BATCH, replications - b * BATCH)
            batch_accs = [Accumulator(R, bounds) for _ in scenario.services]
            # the longest first, so the last to finish is a short one
            jobs = sorted(groups, key=lambda g: -_work(scenario, g))
            if pool is None:
                for group in jobs:
                    _run_group(scenario, group, R, seed, b, batch_accs, report)
            else:
                futures = [
                    pool.submit(_run_group, scenario, group, R, seed, b, batch_accs, report)
                    for group in jobs
                ]
                for future in futures:
                    future.result()
            accs.append(batch_accs)
    finally:
        if pool is not None:
            pool.shutdown()

    return _measure(
        scenario, replications, seed, accs, bounds, included, time.perf_counter() - began
    )


def _work(scenario: Scenario, group: list[int]) -> float:
    """A group's expected people times places scanned: what its simulation costs."""
    total = 0.0
    for i in group:
        s = scenario.services[i]
        cap = max(s.capacity) if s.capacity else 1
        n = expected_arrivals(scenario, s, scenario.timeline.t0, float(scenario.days))
        total += n * (cap if len(group) == 1 else cap + 400.0)
    return total


def _run_group(
    scenario: Scenario,
    group: list[int],
    R: int,
    seed: int,
    batch: int,
    accs: list[Accumulator],
    report: Progress,
) -> None:
    seen = [0.0]

    def tick(frac: float) -> None:
        step = frac * len(group) - seen[0]
        if step > 0:
            seen[0] += step
            report(step)

    if len(group) == 1 and not scenario.services[group[0]].onward:
        _run_single(scenario, group[0], R, seed, batch, accs[group[0]], tick)
    else:
        _run_joint(scenario, group, R, seed, batch, accs, tick)
    tick(1.0)


def _initial(
    scenario: Scenario,
    i: int,
    R: int,
    seed: int,
    batch: int,
    bank: ServerBank | PackedBank,
    acc: Accumulator,
) -> None:
    service = scenario.services[i]
    if service.in_service:
        rng = _rng(seed, batch, i, _START)
        t0 = scenario.timeline.t0
        ends = t0 + service.length_of_stay.sample_residual(rng, (service.in_service, R))
        bank.occupy(service.in_service, ends)
        acc.add_initial(t0, ends)


def _run_single(
    scenario: Scenario, i: int, R: int, seed: int, batch: int, acc: Accumulator, tick: Progress
) -> None:
    service = scenario.services[i]
    bank = PackedBank(R, schedule_for(scenario, service))
    _initial(scenario, i, R, seed, batch, bank, acc)
    stream = ArrivalStream(scenario, service, _rng(seed, batch, i, _ARRIVALS), R)
    stay_rng = _rng(seed, batch, i, _STAYS)
    expected = max(stream.expected_count(), 1)
    seen = 0
    discharge = service.source == "discharge" and service.interim is None
    for a in stream.blocks(BLOCK):
        stays = service.length_of_stay.sample(stay_rng, a.shape)
        starts = np.empty_like(a)
        run_single(bank, a, stays, starts)
        ready = starts + stays
        acc.add_block(a, starts, ready, None, None, discharge)
        seen += a.shape[0]
        tick(min(1.0, seen / expected))


def _run_joint(
    scenario: Scenario,
    group: list[int],
    R: int,
    seed: int,
    batch: int,
    accs: list[Accumulator],
    tick: Progress,
) -> JointKernel | kernel_numba.NumbaJointKernel:
    """Simulate a group of linked services and add their records to `accs`; returns the kernel,
    whose `states` hold the records (the tests compare the two kernels on them)."""
    services = scenario.services
    local = {g: k for k, g in enumerate(group)}
    idx = {s.id: i for i, s in enumerate(services)}
    nodes: list[Node] = []
    stay_rngs = [_rng(seed, batch, g, _STAYS) for g in group]
    route_rngs = [_rng(seed, batch, g, _ROUTES) for g in group]
    caps: list[int] = []
    for k, g in enumerate(group):
        service = services[g]
        stream = ArrivalStream(scenario, service, _rng(seed, batch, g, _ARRIVALS), R)
        arrivals = stream.all()
        inflow = 0.0
        for u in group[:k]:
            for target, p in services[u].onward:
                if idx[target] == g:
                    inflow += p * caps[local[u]]
        cap = int(arrivals.shape[0] + inflow + 6.0 * np.sqrt(inflow) + 64)
        caps.append(cap)
        targets = [local[idx[t]] for t, _ in service.onward]
        cum_p = np.cumsum([p for _, p in service.onward]) if service.onward else np.zeros(0)
        bank = ServerBank(R, schedule_for(scenario, service))
        _initial(scenario, g, R, seed, batch, bank, accs[g])
        nodes.append(
            Node(
                bank=bank,
                arrivals=arrivals,
                stays=service.length_of_stay.sample(stay_rngs[k], (cap, R)),
                route_u=route_rngs[k].random((cap, R)),
                cum_p=np.asarray(cum_p, dtype=np.float64),
                targets=targets,
            )
        )
    for k, node in enumerate(nodes):
        for t in node.targets:
            nodes[t].upstream.append(k)
    for k in range(len(nodes)):  # ancestors: every service that can route people here
        anc: set[int] = set()
        todo = list(nodes[k].upstream)
        while todo:
            u = todo.pop()
            if u not in anc:
                anc.add(u)
                todo.extend(nodes[u].upstream)
        nodes[k].ancestors = sorted(anc)

    def extend(k: int, extra: int) -> tuple[FloatArray, FloatArray]:
        service = services[group[k]]
        return (
            service.length_of_stay.sample(stay_rngs[k], (extra, R)),
            route_rngs[k].random((extra, R)),
        )

    kernel: JointKernel | kernel_numba.NumbaJointKernel
    if NUMBA and kernel_numba.AVAILABLE:
        kernel = kernel_numba.NumbaJointKernel(nodes, extend)
    else:
        kernel = JointKernel(nodes, extend)
    try:
        kernel.run(tick)
    except Deadlock as exc:
        names = " and ".join(services[group[k]].id for k in kernel.cyclic)
        raise InputError(
            f"{names}: {exc}; give these services more places or make routes back rarer",
            field="services",
            file=scenario.file,
        ) from exc
    for k, g in enumerate(group):
        st = kernel.states[k]
        service = services[g]
        discharge = service.source == "discharge" and service.interim is None
        used = st.padded()
        source_only = not nodes[k].upstream
        for lo in range(0, used, BLOCK):
            hi = min(used, lo + BLOCK)
            accs[g].add_block(
                st.arrival[lo:hi],
                st.start[lo:hi],
                st.ready[lo:hi],
                st.leave[lo:hi],
                None if source_only else st.external[lo:hi],
                discharge,
            )
    return kernel


def _stack(
    accs: list[list[Accumulator]], i: int, fn: Callable[[Accumulator], FloatArray]
) -> FloatArray:
    return np.concatenate([fn(batch[i]) for batch in accs], axis=0)


def _measure(
    scenario: Scenario,
    replications: int,
    seed: int,
    accs: list[list[Accumulator]],
    bounds: FloatArray,
    included: list[int],
    elapsed: float,
) -> RunResult:
    tl = scenario.timeline
    reported = tl.reported
    days = np.array([seg.days for seg in reported])
    T = float(scenario.days)
    loads = offered_load(scenario)
    results: dict[str, ServiceResult] = {}
    warnings: list[str] = []
    total_cost = np.zeros(replications)
    drd_late = np.zeros((replications, len(reported)))
    drd_days = np.zeros((replications, len(reported)))
    modelled = np.zeros((replications, len(reported)))
    modelled_expected = np.zeros(len(reported))
    for i, service in enumerate(scenario.services):
        if i not in included:
            continue
        caps_all = scenario.segment_capacity(service)
        caps = [c for c, seg in zip(caps_all, tl.segments, strict=True) if seg.reported]
        joint = accs[0][i].has("l")

        def get(name: str, _i: int = i) -> FloatArray:
            return _stack(accs, _i, lambda a: a.monthly(name))

        def stack(fn: Callable[[Accumulator], FloatArray], _i: int = i) -> FloatArray:
            return _stack(accs, _i, fn)

        occ_int = stack(
            lambda a: a.integral("s", "l" if a.has("l") else "e") + np.diff(a.occ_extra, axis=1)
        )
        queue_int = stack(lambda a: a.integral("a", "s"))
        # people from the service's own source (others were routed here from another service)
        mixed = accs[0][i].has("ax")
        ext_int = stack(lambda a: a.integral("ax", "sx")) if mixed else queue_int
        blocked_int = stack(lambda a: a.integral("e", "l")) if joint else np.zeros_like(occ_int)
        demand = stack(lambda a: a.counts("a"))
        ext_demand = get("ext.n") if mixed else demand
        admissions = stack(lambda a: a.counts("s"))
        wait_sum = get("wait.sum")
        waited = get("waited")
        within2 = demand - get("over2")
        ext_waited = get("ext.waited") if mixed else waited
        cap_days = np.array(caps, dtype=np.float64) * days
        m: dict[str, FloatArray] = {
            "demand": demand,
            "external_demand": ext_demand,
            "admissions": admissions,
            "occupancy": occ_int / days,
            "utilisation": ratio(occ_int, np.broadcast_to(cap_days, occ_int.shape)),
            "queue": queue_int / days,
            "mean_wait_days": ratio(wait_sum, demand),
            "p_wait": ratio(waited, demand),
            "p_start_within_2_days": ratio(within2, demand),
            "blocked_days": blocked_int,
        }
        zeros = np.zeros_like(occ_int)
        delayed = zeros
        interim_days = zeros
        home_days = zeros
        interim_count = zeros
        if service.source == "step_up":
            home_days = ext_int
        elif service.interim is not None:
            interim_days = ext_int
            interim_count = ext_waited
        else:
            delayed = ext_int
        interim_rate = scenario.interim_cost(service.interim) if service.interim else 0.0
        m["delayed_bed_days"] = delayed
        m["delayed_bed_day_cost"] = delayed * scenario.acute_bed_day_cost
        m["interim_placements"] = interim_count
        m["interim_days"] = interim_days
        m["interim_cost"] = interim_days * interim_rate
        m["home_wait_days"] = home_days
        m["service_cost"] = occ_int * service.cost_per_day
        m["total_cost"] = m["service_cost"] + m["delayed_bed_day_cost"] + m["interim_cost"]
        months_per_period = T / (365.0 / 12.0)
        n_arr = demand.sum(axis=1)
        p: dict[str, FloatArray] = {
            "mean_wait_days": ratio(wait_sum.sum(axis=1), n_arr),
            "p_wait": ratio(waited.sum(axis=1), n_arr),
            "p_start_within_2_days": ratio(within2.sum(axis=1), n_arr),
            **dict(
                zip(
                    ("wait_p50_days", "wait_p90_days", "wait_p95_days"),
                    (
                        np.concatenate(parts)
                        for parts in zip(
                            *(batch[i].percentile_waits((0.5, 0.9, 0.95)) for batch in accs),
                            strict=True,
                        )
                    ),
                    strict=True,
                )
            ),
            **dict(
                zip(
                    (wait_band_key(d) for d in WAIT_BANDS),
                    (
                        np.concatenate(parts)
                        for parts in zip(
                            *(batch[i].shares_within(WAIT_BANDS) for batch in accs),
                            strict=True,
                        )
                    ),
                    strict=True,
                )
            ),
            "mean_queue": queue_int.sum(axis=1) / T,
            "mean_occupancy": occ_int.sum(axis=1) / T,
            "utilisation": occ_int.sum(axis=1) / float(cap_days.sum()),
            "demand_per_month": n_arr / months_per_period,
            "admissions_per_month": admissions.sum(axis=1) / months_per_period,
            "delayed_bed_days_per_month": delayed.sum(axis=1) / months_per_period,
            "delayed_bed_day_cost": m["delayed_bed_day_cost"].sum(axis=1),
            "interim_placements_per_month": interim_count.sum(axis=1) / months_per_period,
            "interim_cost": m["interim_cost"].sum(axis=1),
            "home_wait_days_per_month": home_days.sum(axis=1) / months_per_period,
            "blocked_days_per_month": blocked_int.sum(axis=1) / months_per_period,
            "service_cost": m["service_cost"].sum(axis=1),
            "total_cost": m["total_cost"].sum(axis=1),
            "queue_at_end": stack(lambda a: a.before_end("a") - a.before_end("s")),
        }
        total_cost += p["total_cost"]
        load = loads[service.id]
        unbounded = all(ld >= c for ld, c in zip(load, caps, strict=True))
        message = None
        if unbounded:
            worst = min(c - ld for ld, c in zip(load, caps, strict=True))
            message = (
                f"{service.id}: demand exceeds capacity in every month (short by at least "
                f"{-worst:.1f} places): the queue grows without bound, so period averages of "
                "waits and queues depend on the run length and are not given; the monthly "
                "figures show the growth"
            )
            warnings.append(message)
        results[service.id] = ServiceResult(
            service=service,
            capacity=caps,
            load=load,
            monthly=m,
            period=p,
            unbounded=unbounded,
            message=message,
        )
        if service.source == "discharge":
            modelled += ext_demand
            modelled_expected += np.array(
                [expected_arrivals(scenario, service, s.begin, s.end) for s in reported]
            )
            if service.interim is None:
                drd_late += get("drd.late")
                drd_days += get("drd.days")

    if scenario.acute_discharges_per_day is not None:
        acute = np.array([scenario.acute_discharges_per_day[s.cycle] * s.days for s in reported])
        others = np.maximum(acute - modelled_expected, 0.0)
    else:
        others = np.zeros(len(reported))
        if any(s.source == "discharge" for s in scenario.services):
            warnings.append(
                "acute_discharges_per_day is not given: the discharge-delay metric is over the "
                "modelled discharges only, not all acute discharges"
            )
    discharges = modelled + others[None, :]
    dm = {
        "acute_discharges": discharges,
        "delayed_discharges": drd_late,
        "share_on_drd": 1.0 - ratio(drd_late, discharges),
        "mean_delay_days_of_delayed": ratio(drd_days, drd_late),
        "average_delay_days": ratio(drd_days, discharges),
    }
    dp = {
        "acute_discharges": discharges.sum(axis=1),
        "delayed_discharges": drd_late.sum(axis=1),
        "share_on_drd": 1.0 - ratio(drd_late.sum(axis=1), discharges.sum(axis=1)),
        "mean_delay_days_of_delayed": ratio(drd_days.sum(axis=1), drd_late.sum(axis=1)),
        "average_delay_days": ratio(drd_days.sum(axis=1), discharges.sum(axis=1)),
    }
    return RunResult(
        scenario=scenario,
        replications=replications,
        seed=seed,
        months=[s.label for s in reported],
        month_days=[s.days for s in reported],
        services=results,
        discharge_monthly=dm,
        discharge_period=dp,
        total_cost=total_cost,
        elapsed_seconds=elapsed,
        warnings=warnings,
    )


__all__ = ["PAD", "RunResult", "ServiceResult", "run", "offered_load"]
