"""Benchmark: SPC (XmR) charts for 153 areas x 10 measures x 60 months, in one run.

Issue 5's target: all 1,530 charts (91,800 points) in under 1 s. Each series is a seeded random
walk with noise, one in five given a step change; half the charts have a target. The timing covers
`placeplan.measures.spc.xmr` over every series (limits, all four special-cause rules, point types,
variation and assurance); generating the data is outside the timing. The printed figure is the
median of the repeats (5 by default).

The board summary page's latency (p95 < 100 ms in issue 5) is the other half of this benchmark;
it is measured here once the measures pages exist, which they do not yet.

    .venv/bin/python benchmarks/metrics.py
    .venv/bin/python benchmarks/metrics.py --repeats 9
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from placeplan.measures.spc import Direction, xmr

AREAS, MEASURES, MONTHS = 153, 10, 60
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower", "neither")


def make_series() -> list[tuple[list[tuple[str, float]], Direction, float | None]]:
    rng = np.random.default_rng(20250)
    periods = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS)]
    charts = []
    for n in range(AREAS * MEASURES):
        values = 100 + np.cumsum(rng.normal(0, 0.5, MONTHS)) + rng.normal(0, 3, MONTHS)
        if n % 5 == 0:
            values[MONTHS // 2 :] += 8
        target = float(values.mean() + 5) if n % 2 else None
        series = [(p, float(v)) for p, v in zip(periods, values, strict=True)]
        charts.append((series, DIRECTIONS[n % 3], target))
    return charts


def time_once(charts: list[tuple[list[tuple[str, float]], Direction, float | None]]) -> float:
    start = time.perf_counter()
    for series, direction, target in charts:
        xmr(series, direction, target=target)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    charts = make_series()
    time_once(charts[:10])  # warm up imports and caches
    times = [time_once(charts) for _ in range(args.repeats)]
    median = statistics.median(times)
    points = AREAS * MEASURES * MONTHS
    print(f"SPC: {AREAS} areas x {MEASURES} measures x {MONTHS} months = {points:,} points")
    print(
        f"  median of {args.repeats}: {median:.3f} s  (min {min(times):.3f} s, "
        f"max {max(times):.3f} s)  target < 1 s: {'met' if median < 1 else 'NOT met'}"
    )
    print("Board summary page p95: not measured yet (the measures pages do not exist yet)")


if __name__ == "__main__":
    main()
