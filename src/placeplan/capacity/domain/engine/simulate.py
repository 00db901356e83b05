"""Simulating one batch of replications of one group of services: the fast single-queue path for a
service on its own, streamed in blocks, or a joint kernel for services linked by onward routes.
Every service draws from its own seeded streams (by batch, service and purpose)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from placeplan.capacity.domain.arrivals import ArrivalStream, expected_arrivals
from placeplan.capacity.domain.engine.results import FloatArray, Progress
from placeplan.capacity.domain.kernels import Deadlock, JointRun, Kernel, Node, kernel_for
from placeplan.capacity.domain.kernels.banks import PackedBank, Schedule, ServerBank
from placeplan.capacity.domain.kernels.single import run_single
from placeplan.capacity.domain.scenario import Scenario, Service
from placeplan.capacity.domain.statistics import Accumulator
from placeplan.core.errors import InputError

BLOCK = 512

# stream purposes within a service
_ARRIVALS, _STAYS, _ROUTES, _START, _ARRANGE = 0, 1, 2, 3, 4


def _rng(seed: int, batch: int, service: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(batch, service, purpose)))


def arranger(
    scenario: Scenario, i: int, seed: int, batch: int
) -> Callable[[int], FloatArray] | None:
    """For a discharge service whose waiters go to an interim alternative: draws of its time to
    arrange (zeros when it is there at once), from the service's own stream."""
    service = scenario.services[i]
    if service.source != "discharge" or service.interim is None:
        return None
    dist = scenario.arrange_time(service.interim)
    if dist is None:
        return lambda n: np.zeros(n)
    rng = _rng(seed, batch, i, _ARRANGE)
    return lambda n: dist.sample(rng, (n,))


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
    kernel: Kernel,
    alone: bool = False,
) -> None:
    """Simulate one group of services for one batch. `alone`: no other group runs beside it, so
    a single service's compiled loop may take both threads (`kernels.single.run_single`)."""
    seen = [0.0]

    def tick(frac: float) -> None:
        step = frac * len(group) - seen[0]
        if step > 0:
            seen[0] += step
            report(step)

    if len(group) == 1 and not scenario.services[group[0]].onward:
        _run_single(scenario, group[0], R, seed, batch, accs[group[0]], tick, alone)
    else:
        _run_joint(scenario, group, R, seed, batch, accs, tick, kernel)
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
    scenario: Scenario,
    i: int,
    R: int,
    seed: int,
    batch: int,
    acc: Accumulator,
    tick: Progress,
    alone: bool = False,
) -> None:
    service = scenario.services[i]
    bank = PackedBank(
        R, schedule_for(scenario, service), service.capacity_falls == "hold_new_starts"
    )
    _initial(scenario, i, R, seed, batch, bank, acc)
    stream = ArrivalStream(scenario, service, _rng(seed, batch, i, _ARRIVALS), R)
    stay_rng = _rng(seed, batch, i, _STAYS)
    expected = max(stream.expected_count(), 1)
    seen = 0
    discharge = service.source == "discharge"
    arrange = arranger(scenario, i, seed, batch)
    for a in stream.blocks(BLOCK):
        stays = service.length_of_stay.sample(stay_rng, a.shape)
        starts = np.empty_like(a)
        run_single(bank, a, stays, starts, split=alone)
        ready = starts + stays
        acc.add_block(a, starts, ready, None, None, discharge, arrange)
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
    kernel: str | Kernel | None = None,
) -> JointRun:
    """Simulate a group of linked services on `kernel` and add their records to `accs`; returns
    the kernel's run, whose `states` hold the records (the tests compare the kernels on them).

    One piece (about 100 lines): setting up the nodes (their draws, in the order the streams are
    consumed, which fixes the numbers), running them and reading the records back are one
    sequence over the same local state."""
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

    simulation = kernel_for(kernel).joint(nodes, extend)
    try:
        simulation.run(tick)
    except Deadlock as exc:
        names = " and ".join(services[group[k]].id for k in simulation.cyclic)
        raise InputError(
            f"{names}: {exc}; give these services more places or make routes back rarer",
            field="services",
            file=scenario.file,
        ) from exc
    for k, g in enumerate(group):
        st = simulation.states[k]
        service = services[g]
        discharge = service.source == "discharge"
        arrange = arranger(scenario, g, seed, batch)
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
                arrange,
            )
    return simulation
