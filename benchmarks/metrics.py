"""Benchmark: SPC (XmR) charts for 153 areas x 10 measures x 60 months, in one run.

Issue 5's target: all 1,530 charts (91,800 points) in under 1 s. Each series is a seeded random
walk with noise, one in five given a step change; half the charts have a target. The timing covers
`placeplan.measures.spc.xmr` over every series (limits, all four special-cause rules, point types,
variation and assurance); generating the data is outside the timing. The printed figure is the
median of the repeats (5 by default).

The board summary page's latency (p95 < 100 ms in issue 5) is the other half: the same 153 areas
x 10 measures x 60 months stored in a throwaway SQLite database, served by uvicorn with two
workers in their own processes, and read by 8 clients in their own processes (keep-alive), each
asking for one system's board (about 4 places, 40 charts).

    .venv/bin/python benchmarks/metrics.py
    .venv/bin/python benchmarks/metrics.py --repeats 9
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from placeplan.measures.domain.spc import Direction, xmr

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
    time_board_page()


def time_board_page(requests: int = 160, clients: int = 8) -> None:
    import os
    import tempfile
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    os.environ.setdefault("PLACEPLAN_ARGON2_TIME_COST", "1")
    os.environ.setdefault("PLACEPLAN_ARGON2_MEMORY_KIB", "8192")
    from bcf import _client_batch, serve_subprocess
    from sqlalchemy import insert

    from placeplan.areas import service as areas
    from placeplan.core.actor import operator
    from placeplan.core.periods import parse_reporting_period
    from placeplan.measures import service
    from placeplan.measures.models import Measurement
    from placeplan.store.db import make_engine, session_factory
    from placeplan.store.migrate import upgrade
    from placeplan.store.uow import unit_of_work

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'board.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        rng = np.random.default_rng(7)
        months = [f"{2020 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(MONTHS)]
        sorts = [parse_reporting_period(m).sort_key for m in months]
        start = time.perf_counter()
        with unit_of_work(session_factory(engine)) as s:
            op = operator("bench")
            for n in range(42):
                areas.create_system(s, op, f"S{n:02d}", f"System {n}")
            codes = []
            for i in range(AREAS):
                code = f"E06{i:06d}"
                areas.create_area(s, op, code, f"Area {i}", f"S{i % 42:02d}")
                codes.append(code)
            metric_ids = [
                service.add_metric(
                    s,
                    op,
                    {
                        "key": f"m{k}",
                        "name": f"Measure {k}",
                        "unit": "count",
                        "direction": "lower",
                        "frequency": "month",
                    },
                ).id
                for k in range(MEASURES)
            ]
            area_ids = [a.id for a in areas.list_areas(s)]
            s.execute(
                insert(Measurement),
                [
                    {
                        "metric_id": m,
                        "area_id": a,
                        "period": months[t],
                        "period_sort": sorts[t],
                        "value": float(v),
                        "breakdown": "all",
                        "breakdown_value": "all",
                        "recomputable": False,
                        "illustrative": True,
                    }
                    for m in metric_ids
                    for a in area_ids
                    for t, v in enumerate(100 + np.cumsum(rng.normal(0, 1, MONTHS)))
                ],
            )
            service.touch(s)  # the bulk insert above stands in for import_rows, which does this
            from placeplan.organisations import service as organisations
            from placeplan.people import service as people

            organisations.create_organisation(s, op, "icb", "ICB", "icb", "QK1", [], None)
            people.add_user(s, op, "bench.viewer", "Bench", "bench-password-1", "icb", "viewer")
        print(
            f"board data: {AREAS * MEASURES * MONTHS:,} measurements stored in "
            f"{time.perf_counter() - start:.1f} s"
        )
        with serve_subprocess(url) as (base, cookies):
            per_client = requests // clients
            with ProcessPoolExecutor(clients) as pool:
                batches = pool.map(
                    _client_batch, [(base, cookies, "/board?system=S01", per_client)] * clients
                )
                times = sorted(t for batch in batches for t in batch)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"board page ({clients} clients, {len(times)} requests): median "
            f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
            f"({'meets' if p95 < 0.1 else 'misses'} the 100 ms target)"
        )


if __name__ == "__main__":
    main()
