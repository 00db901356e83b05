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
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from placeplan.capacity.domain.engine.graph import components, offered_load, topological
from placeplan.capacity.domain.engine.measure import measure, measure_services
from placeplan.capacity.domain.engine.results import (
    WAIT_BANDS,
    FloatArray,
    Progress,
    RunResult,
    ServiceResult,
    wait_band_key,
)
from placeplan.capacity.domain.engine.simulate import (
    _ARRIVALS,
    BLOCK,
    _rng,
    _run_group,
    _run_joint,
    _run_single,
    _work,
    schedule_for,
)
from placeplan.capacity.domain.kernels import CompiledKernel, Kernel, kernel_for
from placeplan.capacity.domain.kernels.base import PAD
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.statistics import Accumulator
from placeplan.core.errors import InputError

BATCH = 1000
THREADS = max(1, min(2, os.cpu_count() or 1))  # groups simulated at once
MAX_REPLICATIONS = 100_000


def _check(replications: int, seed: int) -> None:
    if replications < 1 or replications > MAX_REPLICATIONS:
        raise InputError(
            f"replications must be between 1 and {MAX_REPLICATIONS:,}", field="replications"
        )
    if seed < 0:
        raise InputError("the seed must be a whole number of at least 0", field="seed")


def _joint_kernel(kernel: str | Kernel | None, threads: int | None) -> Kernel:
    """The joint kernel asked for, its chunks on at most `threads` threads."""
    joint = kernel_for(kernel)
    if isinstance(joint, CompiledKernel) and joint.threads is None and threads is not None:
        return CompiledKernel(threads=max(1, threads))
    return joint


def run(
    scenario: Scenario,
    replications: int = 1000,
    seed: int = 1,
    progress: Progress | None = None,
    focus: str | None = None,
    kernel: str | Kernel | None = None,
    threads: int | None = None,
) -> RunResult:
    """Simulate the scenario `replications` times from `seed` and measure it.

    `focus`: simulate only the services linked (by onward routes) to this one; the others are left
    out of the result. Its numbers are the same as in a full run.
    `kernel`: the joint kernel for services linked by onward routes, by name ("compiled", the
    default, or "numpy") or given (`kernels.Kernel`); every kernel gives the same numbers.
    `threads`: at most this many threads (None: `THREADS`); a Ray task, given one CPU, runs on
    one. Any number gives the same numbers.
    """
    _check(replications, seed)
    limit = THREADS if threads is None else max(1, threads)
    joint = _joint_kernel(kernel, threads)
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

    # each group's services measured on its thread once their last batch has run, while the
    # other groups still simulate (the same figures: measuring reads only their accumulators)
    measured: dict[int, ServiceResult] = {}

    def simulate(group: list[int], b: int, R: int, batch_accs: list[Accumulator]) -> None:
        alone = len(groups) == 1 and limit > 1  # a single service may then take two threads
        _run_group(scenario, group, R, seed, b, batch_accs, report, joint, alone)
        if b == n_batches - 1:
            measured.update(measure_services(scenario, [*accs, batch_accs], group))

    # groups share nothing (own streams, own accumulators), so they run side by side: the
    # kernels spend most of their time in compiled loops and numpy, which release the GIL
    workers = min(limit, len(groups))
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for b in range(n_batches):
            R = min(BATCH, replications - b * BATCH)
            batch_accs = [Accumulator(R, bounds) for _ in scenario.services]
            # the longest first, so the last to finish is a short one
            jobs = sorted(groups, key=lambda g: -_work(scenario, g))
            if pool is None:
                for group in jobs:
                    simulate(group, b, R, batch_accs)
            else:
                futures = [pool.submit(simulate, group, b, R, batch_accs) for group in jobs]
                for future in futures:
                    future.result()
            accs.append(batch_accs)
    finally:
        if pool is not None:
            pool.shutdown()

    elapsed = time.perf_counter() - began
    return measure(scenario, replications, seed, accs, included, elapsed, measured)


__all__ = [
    "BATCH",
    "BLOCK",
    "MAX_REPLICATIONS",
    "PAD",
    "THREADS",
    "WAIT_BANDS",
    "_ARRIVALS",
    "FloatArray",
    "Progress",
    "RunResult",
    "ServiceResult",
    "_rng",
    "_run_joint",
    "_run_single",
    "components",
    "offered_load",
    "run",
    "schedule_for",
    "topological",
    "wait_band_key",
]
