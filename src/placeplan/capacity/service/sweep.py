"""Sweeps on Ray: each variation of a sweep is a Ray task, on a local cluster started here or on
an existing cluster given its address.

A task whose worker dies (the process exits, the node is lost) is retried by Ray up to
`max_retries` times; after that, or when the task raises (the engine's refusals are deterministic
for a seed, so trying again would refuse again), the task is kept as a failed row naming its
area and variation, and the rest of the sweep completes. Results come back in task order, each
from its own derived seed, so a sweep equals `domain.sweep.run_sequential` with the same spec.

Ray is imported when a sweep starts, so the CLI's other commands start without it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.sweep import (
    SweepSpec,
    Variation,
    check_options,
    failed,
    run_variation,
    variations,
)

TaskFn = Callable[[Scenario, Variation, int], dict[str, Any]]
LOCAL = "local"


@dataclass(frozen=True)
class SweepOutcome:
    spec: SweepSpec
    rows: list[dict[str, Any]]
    elapsed_seconds: float
    workers: int

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] == "failed"]


def connect(address: str = LOCAL, num_cpus: int | None = None) -> bool:
    """Join Ray: `local` starts a cluster in this process (`num_cpus` workers), anything else
    (`auto`, `ray://host:10001`, `host:6379`) connects to a running one. Returns whether this
    call started the connection (and so should end it)."""
    import ray

    if ray.is_initialized():
        return False
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
    if address == LOCAL:
        ray.init(num_cpus=num_cpus, **options)
    else:
        ray.init(address=address, **options)
    return True


def _message(exc: BaseException) -> str:
    import ray

    if isinstance(exc, ray.exceptions.RayTaskError):
        cause = getattr(exc, "cause", None)
        lines = str(cause if cause is not None else exc).strip().splitlines()
        return f"the task failed: {lines[-1] if lines else type(exc).__name__}"
    if isinstance(exc, (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError)):
        return "its worker died on every attempt"
    return f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"


def run_sweep(
    spec: SweepSpec,
    base: Scenario,
    *,
    address: str = LOCAL,
    num_cpus: int | None = None,
    max_retries: int = 2,
    task: TaskFn = run_variation,
    progress: Callable[[int, int], None] | None = None,
) -> SweepOutcome:
    """Run every variation as a Ray task; `progress(done, total)` hears each task end."""
    import ray

    check_options(spec, base)
    tasks = variations(spec)
    began = time.perf_counter()
    started = connect(address, num_cpus)
    try:
        remote = ray.remote(num_cpus=1, max_retries=max_retries, retry_exceptions=False)(task)
        base_ref = ray.put(base)
        pending = {remote.remote(base_ref, v, spec.replications): v for v in tasks}
        workers = int(ray.cluster_resources().get("CPU", 0))
        rows: dict[int, dict[str, Any]] = {}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1, timeout=5.0)
            for ref in done:
                v = pending.pop(ref)
                try:
                    rows[v.index] = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    rows[v.index] = failed(v, _message(exc))
                if progress is not None:
                    progress(len(rows), len(tasks))
    finally:
        if started:
            ray.shutdown()
    ordered = [rows[v.index] for v in tasks]
    return SweepOutcome(spec, ordered, time.perf_counter() - began, workers)
