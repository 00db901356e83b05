"""Benchmark: placeplan's capacity engine against simpy and ciw on the same model, in one run.

The model (issue 4, REFERENCE.md): one service, c = 90 places, Poisson arrivals at 20 a day,
exponential stays with mean 4 days, 365 reported days after 60 days' warm-up. Erlang C gives a
mean wait of 0.0781 days and P(wait) = 0.195; every model's estimate is printed beside its time.

placeplan runs 1,000 replications; simpy and ciw run 100 and their times are multiplied by 10 to
compare at 1,000 (said so in the output). Then the LLR demo network (P1 visits, P2 and P3 beds,
step-up beds, 12 months) at 1,000 replications, on the engine's threads (its independent groups
of services run side by side, and the compiled kernel's chunks of replications two at a time) and
on one thread, with the routed services (P2 -> P3) on the
compiled kernel (C, compiled by Cython at set-up: capacity/domain/kernels/compiled) and on the
numpy kernel. Then the whole `placeplan capacity run` command on the LLR
network (a fresh process: start-up, reading, 1,000 replications, the report) and `placeplan
--version` alone; and a 100-task sweep (the single-service model over 10 areas x 10 demand
growths, 500 replications a task) on a local Ray cluster of one worker and of two, each after a
warm-up sweep so the workers have started and imported the engine. Each timing is the median of
several runs; the machine may be shared, so medians are what to quote, with the load average
printed beside them and the CPU seconds of the LLR runs and of the command (which move less than
wall seconds when other work shares the cores).

    .venv/bin/python benchmarks/capacity.py               # placeplan x5, peers x1
    .venv/bin/python benchmarks/capacity.py --repeats 3 --peer-repeats 2
    .venv/bin/python benchmarks/capacity.py --no-peers    # placeplan only
    .venv/bin/python benchmarks/capacity.py --no-sweep    # without Ray
    .venv/bin/python benchmarks/capacity.py --priority    # ahead of other work (root)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from priority import take_priority

from placeplan.capacity.domain import engine, erlang_c, kernels, parse_scenario, run, summarise
from placeplan.capacity.io.scenario import load_scenario

ARRIVALS, MEAN_STAY, SERVERS, DAYS, WARM_UP = 20.0, 4.0, 90, 365, 60
DEMO = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "placeplan"
    / "demo"
    / "data"
    / "capacity_llr.yaml"
)
SINGLE = {
    "name": "benchmark: M/M/90, 20 a day, mean stay 4",
    "days": DAYS,
    "warm_up_days": WARM_UP,
    "services": [
        {
            "id": "S",
            "kind": "beds",
            "arrivals_per_day": ARRIVALS,
            "length_of_stay": {"distribution": "exponential", "mean": MEAN_STAY},
            "capacity": SERVERS,
        }
    ],
}


def _simpy_replication(rng: random.Random) -> float:
    import simpy

    env = simpy.Environment(initial_time=-WARM_UP)
    beds = simpy.Resource(env, capacity=SERVERS)
    waits: list[float] = []

    def person(arrived: float) -> Generator[Any, Any, None]:
        with beds.request() as req:
            yield req
            if arrived >= 0:
                waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / MEAN_STAY))

    def source() -> Generator[Any, Any, None]:
        while True:
            yield env.timeout(rng.expovariate(ARRIVALS))
            if env.now >= DAYS:
                return
            env.process(person(env.now))

    env.process(source())
    env.run(until=DAYS + 60)
    return sum(waits) / len(waits)


def simpy_model(replications: int, seed: int) -> float:
    """Mean wait (days) over replications, with simpy 4."""
    means = [_simpy_replication(random.Random(seed * 100_003 + r)) for r in range(replications)]
    return sum(means) / len(means)


def ciw_model(replications: int, seed: int) -> float:
    """Mean wait (days) over replications, with ciw 3 (time shifted: warm-up is [0, 60))."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=ARRIVALS)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / MEAN_STAY)],
        number_of_servers=[SERVERS],
    )
    means = []
    for r in range(replications):
        ciw.seed(seed * 100_003 + r)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(WARM_UP + DAYS + 60)
        waits = [
            rec.waiting_time
            for rec in sim.get_all_records()
            if WARM_UP <= rec.arrival_date < WARM_UP + DAYS
        ]
        means.append(sum(waits) / len(waits))
    return sum(means) / len(means)


def placeplan_single(replications: int, seed: int) -> float:
    result = run(parse_scenario(SINGLE), replications=replications, seed=seed)
    value = summarise(result.services["S"].period["mean_wait_days"]).value
    return float(value or 0.0)


KERNEL: str | None = None  # the engine's default (the compiled kernel where it is built)


def placeplan_llr(replications: int, seed: int) -> float:
    result = run(load_scenario(DEMO), replications=replications, seed=seed, kernel=KERNEL)
    # the demo's P2 is short of beds in every month (its waits are withheld): report the
    # predicted discharge metric instead
    value = summarise(result.discharge_period["average_delay_days"]).value
    return float(value or 0.0)


def placeplan_llr_one_thread(replications: int, seed: int) -> float:
    """The LLR demo with its groups one after another and the joint kernel's chunks too."""
    from placeplan.capacity.domain.kernels import compiled

    threads, chunks = engine.THREADS, compiled.THREADS
    engine.THREADS = compiled.THREADS = 1
    try:
        return placeplan_llr(replications, seed)
    finally:
        engine.THREADS, compiled.THREADS = threads, chunks


def numpy_kernel(fn: Callable[[int, int], float]) -> Callable[[int, int], float]:
    """`fn` with the routed services on the numpy kernel."""

    def wrapped(replications: int, seed: int) -> float:
        global KERNEL
        compiled = KERNEL
        KERNEL = "numpy"
        try:
            return fn(replications, seed)
        finally:
            KERNEL = compiled

    return wrapped


CPU: dict[str, float] = {}  # median CPU seconds (every thread of the process) by what was timed


def timed(fn: Callable[[int, int], float], replications: int, repeats: int) -> tuple[float, float]:
    """Median wall time over `repeats` runs (seeds 1, 2, ...), and the last run's estimate; the
    median CPU time goes to CPU[fn's name] (on a machine others share, CPU seconds move less
    than wall seconds)."""
    times, cpu, estimate = [], [], 0.0
    for i in range(repeats):
        began, began_cpu = time.perf_counter(), time.process_time()
        estimate = fn(replications, 1 + i)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU[getattr(fn, "__name__", "")] = statistics.median(cpu)
    return statistics.median(times), estimate


COMMAND = Path(sys.executable).with_name("placeplan")


def command_seconds(args: list[str], repeats: int) -> float:
    """Median wall time of `placeplan ARGS` in a fresh process (output discarded); its median
    CPU time (user and system) goes to CPU["placeplan " + ARGS[0]]."""
    times, cpu = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run([str(COMMAND), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    CPU[f"placeplan {args[0]}"] = statistics.median(cpu)
    return statistics.median(times)


SWEEP = {
    "name": "benchmark: 100 tasks",
    "seed": 1,
    "replications": 500,  # --sweep-replications
    "areas": [{"name": f"area {i}", "demand_scale": 0.5 + 0.05 * i} for i in range(10)],
    "demand_growth": [0.04 * i for i in range(10)],
}


def sweep_seconds(workers: int, repeats: int, replications: int = 500) -> float:
    """Median time of the 100-task sweep on a local Ray cluster of `workers` CPUs (after one
    warm-up sweep; the cluster's start is not counted)."""
    import ray

    from placeplan.capacity.domain.sweep import parse_sweep
    from placeplan.capacity.service.sweep import connect, run_sweep

    spec, base = parse_sweep({**SWEEP, "replications": replications}), parse_scenario(SINGLE)
    connect("local", num_cpus=workers)
    try:
        run_sweep(spec, base)
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            outcome = run_sweep(spec, base)
            times.append(time.perf_counter() - began)
            assert not outcome.failures
        return statistics.median(times)
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each placeplan model")
    parser.add_argument("--peer-repeats", type=int, default=1, help="runs of simpy and ciw")
    parser.add_argument("--peer-replications", type=int, default=100)
    parser.add_argument("--no-peers", action="store_true", help="skip simpy and ciw")
    parser.add_argument("--no-sweep", action="store_true", help="skip the Ray sweep")
    parser.add_argument("--sweep-repeats", type=int, default=3)
    parser.add_argument("--sweep-replications", type=int, default=500, help="a task's")
    parser.add_argument(
        "--priority",
        action="store_true",
        help="run ahead of the machine's other work (a session of its own at nice -20; needs root)",
    )
    args = parser.parse_args()
    if args.priority:
        print(f"scheduling: {take_priority()}")

    exact = erlang_c(ARRIVALS, MEAN_STAY, SERVERS)
    print(
        f"Model: M/M/{SERVERS}, {ARRIVALS:g} arrivals a day, mean stay {MEAN_STAY:g} days, "
        f"{DAYS} days after {WARM_UP} days' warm-up"
    )
    print(f"Erlang C: mean wait {exact.mean_wait_days:.4f} days, P(wait) {exact.p_wait:.3f}")
    print()
    run(parse_scenario(SINGLE), replications=10, seed=99)  # import and first-call costs apart

    rows: list[tuple[str, float, float, str]] = []
    pp, pp_est = timed(placeplan_single, 1000, args.repeats)
    rows.append(("placeplan, 1,000 replications", pp, pp_est, f"median of {args.repeats}"))
    peers: dict[str, float] = {}
    if not args.no_peers:
        n = args.peer_replications
        scale = 1000 / n
        for name, fn in (("simpy 4", simpy_model), ("ciw 3", ciw_model)):
            t, est = timed(fn, n, args.peer_repeats)
            peers[name] = t * scale
            rows.append(
                (
                    f"{name}, {n} replications x {scale:g} (scaled to 1,000)",
                    t * scale,
                    est,
                    f"median of {args.peer_repeats}, measured {t:.2f} s",
                )
            )
    print(f"{'single service':<52} {'seconds':>9} {'mean wait':>10}  note")
    for name, t, est, note in rows:
        print(f"{name:<52} {t:>9.3f} {est:>10.4f}  {note}")
    for name, t in peers.items():
        print(f"  {name} / placeplan: {t / pp:,.0f}x")
    print()
    kernel = (
        "compiled kernel"
        if kernels.COMPILED_AVAILABLE
        else "numpy kernel: the compiled kernels are not built (make setup)"
    )
    print(f"load average before the LLR runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    llr, llr_est = timed(placeplan_llr, 1000, args.repeats)
    print(
        f"LLR demo network (P1, P2, P3, step-up; 12 months), 1,000 replications: "
        f"{llr:.3f} s (median of {args.repeats}, {engine.THREADS} threads, {kernel}; CPU "
        f"{CPU['placeplan_llr']:.3f} s); average discharge delay {llr_est:.4f} days"
    )
    if engine.THREADS > 1:
        one, _ = timed(placeplan_llr_one_thread, 1000, args.repeats)
        print(
            f"  the same on one thread: {one:.3f} s (median of {args.repeats}; CPU "
            f"{CPU['placeplan_llr_one_thread']:.3f} s)"
        )
    if kernels.COMPILED_AVAILABLE:
        slow, slow_est = timed(numpy_kernel(placeplan_llr), 1000, args.repeats)
        print(
            f"  on the numpy kernel: {slow:.3f} s (median of {args.repeats}, {engine.THREADS} "
            f"threads; average discharge delay {slow_est:.4f} days, the same records)"
        )
        if engine.THREADS > 1:
            one, _ = timed(numpy_kernel(placeplan_llr_one_thread), 1000, args.repeats)
            print(f"  the numpy kernel on one thread: {one:.3f} s (median of {args.repeats})")
    print()
    whole = command_seconds(
        ["capacity", "run", str(DEMO), "--replications", "1000", "--format", "json"], args.repeats
    )
    version = command_seconds(["--version"], args.repeats)
    print(
        f"`placeplan capacity run` on the LLR network, 1,000 replications, the whole command: "
        f"{whole:.3f} s (CPU {CPU['placeplan capacity']:.3f} s); `placeplan --version` alone: "
        f"{version:.3f} s (medians of {args.repeats}); load average now "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    scaling = None
    if not args.no_sweep:
        one = sweep_seconds(1, args.sweep_repeats, args.sweep_replications)
        two = sweep_seconds(2, args.sweep_repeats, args.sweep_replications)
        scaling = one / two
        print(
            f"100-task sweep ({args.sweep_replications} replications a task) on Ray: one worker {one:.2f} s, two "
            f"workers {two:.2f} s, {scaling:.2f}x (medians of {args.sweep_repeats})"
        )
    print()
    versus = "not measured" if not peers else ("met" if peers["simpy 4"] >= 150 * pp else "NOT met")
    swept = "not measured" if scaling is None else ("met" if scaling >= 1.7 else "NOT met")
    print(
        f"Targets: single service < 1 s ({'met' if pp < 1 else 'NOT met'}), "
        f">= 150x simpy ({versus}), LLR < 1 s ({'met' if llr < 1 else 'NOT met'}), "
        f"whole command < 1.5 s ({'met' if whole < 1.5 else 'NOT met'}), "
        f"sweep >= 1.7x on two workers ({swept})"
    )


if __name__ == "__main__":
    main()
