"""The BCF planning workbook at scale: a 500-scheme workbook read, validated and imported.

Run as `.venv/bin/python benchmarks/bcf.py`. It writes a workbook of 500 schemes (one or two
expenditure lines each, income equal to expenditure for every funding source), then times, as the
median of 5 runs: reading and validating it; importing it as a new plan; and importing a changed
version (every line's amount differs) into an existing draft plan, on SQLite and on a throwaway
PostgreSQL database (created and dropped here; the server as in tests/conftest.py). Target: each
under 1 s. It reports and never asserts: the exit status is 0 whether or not the target is met.
"""

from __future__ import annotations

import argparse
import os

# Cheap password hashing for the one benchmark user (set before placeplan is imported).
os.environ.setdefault("PLACEPLAN_ARGON2_TIME_COST", "1")
os.environ.setdefault("PLACEPLAN_ARGON2_MEMORY_KIB", "8192")

import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import psycopg
from sqlalchemy.engine import Engine

from placeplan.areas import service as areas
from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import BudgetDocument, ExpenditureLine, IncomeLine, SchemeInfo
from placeplan.budget.io import read_parsed, validate_workbook, write_workbook
from placeplan.budget.service.workbook import import_workbook
from placeplan.core.actor import operator
from placeplan.organisations import service as organisations
from placeplan.plans import service as plans
from placeplan.store.db import make_engine, session_factory
from placeplan.store.migrate import upgrade
from placeplan.store.uow import unit_of_work

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.0
AREA = "E10000018"

# Types whose lines need nothing beyond the common fields, and those needing outputs / sub-types.
PLAIN_TYPES = [
    "community_based_schemes",
    "enablers_for_integration",
    "integrated_care_planning_and_navigation",
    "prevention_early_intervention",
    "urgent_community_response",
    "care_act_implementation_related_duties",
]
SOURCES = ["nhs_minimum", "better_care_grant", "additional_la", "additional_nhs"]


def synthetic_document(n_schemes: int, bump_pence: int = 0) -> BudgetDocument:
    """`bump_pence` shifts every line's amount (income follows), for a changed version."""
    schemes: list[SchemeInfo] = []
    lines: list[ExpenditureLine] = []
    categories = list(cat.CATEGORIES)
    for i in range(n_schemes):
        kind = i % 10
        if kind == 0:
            scheme_type, sub_type = "bed_based_intermediate_care", "step_down_p2"
        elif kind == 1:
            scheme_type, sub_type = "home_care_or_domiciliary_care", None
        elif kind == 2:
            scheme_type, sub_type = "dfg_related_schemes", None
        else:
            scheme_type, sub_type = PLAIN_TYPES[i % len(PLAIN_TYPES)], None
        scheme = SchemeInfo(
            scheme_id=f"S{i + 1:04d}",
            name=f"Scheme {i + 1}: {cat.SCHEME_TYPES[scheme_type]}",
            scheme_type=scheme_type,
            category=categories[i % 3],
            description=f"Synthetic scheme {i + 1} for the benchmark",
            metrics=("discharge_delay",) if i % 2 else ("emergency_admissions_65_plus",),
        )
        schemes.append(scheme)
        n_lines = 2 if i % 2 else 1
        for j in range(n_lines):
            source = "dfg" if scheme_type == "dfg_related_schemes" else SOURCES[(i + j) % 4]
            needs_outputs = scheme_type in cat.OUTPUT_UNITS
            lines.append(
                ExpenditureLine(
                    line_id=f"{scheme.scheme_id}-{j + 1}",
                    scheme_id=scheme.scheme_id,
                    scheme_name=scheme.name,
                    scheme_type=scheme_type,
                    category=scheme.category,
                    funding_source=source,
                    amount_pence=10_000_00 + (i * 7919 + j * 104_729) % 5_000_000_00 + bump_pence,
                    new_pence=(i % 5) * 1_000_00,
                    sub_type=sub_type,
                    area_of_spend="social_care" if (i + j) % 3 else "community_health",
                    commissioner="joint" if i % 7 == 0 else "la",
                    nhs_share=Decimal("50") if i % 7 == 0 else None,
                    provider="local_authority" if i % 2 else "private_sector",
                    planned_outputs=Decimal(100 + i) if needs_outputs else None,
                    output_unit=cat.OUTPUT_UNITS.get(scheme_type) if needs_outputs else None,
                    description=f"Line {j + 1} of scheme {i + 1}",
                )
            )
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        totals[line.funding_source] += line.amount_pence
    income = tuple(IncomeLine(source, amount) for source, amount in sorted(totals.items()))
    return BudgetDocument(year="2025-26", schemes=tuple(schemes), lines=tuple(lines), income=income)


def median_of(repeats: int, action: Callable[[], object]) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def report(label: str, median: float, times: list[float]) -> None:
    verdict = "meets" if median < TARGET_S else "MISSES"
    runs = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(
        f"  {label:<44} median {median * 1000:7.0f} ms  ({verdict} < {TARGET_S:.0f} s; runs {runs})"
    )


def prepare(engine: Engine) -> int:
    """The area a workbook's Cover names, and one draft plan to import new versions into."""
    upgrade(engine)
    sessions = session_factory(engine)
    op = operator("bench")
    with unit_of_work(sessions) as s:
        areas.create_system(s, op, "LLR", "Leicester, Leicestershire and Rutland")
        areas.create_area(s, op, AREA, "Leicestershire", "LLR")
        organisations.create_organisation(s, op, "icb", "Test ICB", "icb", "QK1", [AREA], "LLR")
        plan = plans.create_plan(s, op, "bcf_plan", "Bench BCF 2025-26", "2025-26", area_code=AREA)
        return plan.id


def _client_batch(job: tuple[str, dict[str, str], str, int]) -> list[float]:
    """One client's requests (after two warm-up requests), timed one by one."""
    import httpx

    base, cookies, url, count = job
    times = []
    with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
        for n in range(count + 2):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            if n >= 2:
                times.append(elapsed)
    return times


@contextmanager
def serve_subprocess(database_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The app in its own processes (two workers for two cores), signed in as bench.viewer."""
    import re
    import socket
    import subprocess

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": database_url, "PLACEPLAN_SECURE_COOKIES": "0"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "placeplan.app.factory:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
            assert token, "no CSRF token on the sign-in page"
            client.post(
                "/sign-in",
                data={
                    "username": "bench.viewer",
                    "password": "bench-password-1",
                    "csrf_token": token[1],
                },
            )
            cookies = dict(client.cookies)
        yield base, cookies
    finally:
        server.terminate()
        server.wait(timeout=20)


def time_budget_page(
    name: str, engine: Engine, plan_id: int, requests: int = 400, clients: int = 8
) -> None:
    """p95 of the plan's budget page (all 750 lines, rules, summaries) under 8 clients on loopback."""
    from concurrent.futures import ProcessPoolExecutor

    from placeplan.people import service as people

    with unit_of_work(session_factory(engine)) as s:
        people.add_user(
            s, operator("bench"), "bench.viewer", "Bench", "bench-password-1", "icb", "viewer"
        )
    url = engine.url.render_as_string(hide_password=False)
    with serve_subprocess(url) as (base, cookies):
        per_client = requests // clients
        with ProcessPoolExecutor(clients) as pool:
            batches = pool.map(
                _client_batch, [(base, cookies, f"/plans/{plan_id}/budget", per_client)] * clients
            )
            times = sorted(t for batch in batches for t in batch)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{name}: budget page ({clients} clients, {len(times)} requests): median "
        f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"({'meets' if p95 < 0.1 else 'misses'} the 100 ms target)"
    )


def time_imports(name: str, engine: Engine, workbooks: tuple[Path, Path], repeats: int) -> None:
    plan_id = prepare(engine)
    sessions = session_factory(engine)
    first, changed = workbooks

    def as_new_plan() -> None:
        with unit_of_work(sessions) as s:
            import_workbook(s, operator("bench"), first)

    turn = iter(range(10**6))

    def as_new_version() -> None:
        # Alternate the two versions, so every run changes the amount of each of the 750 lines.
        with unit_of_work(sessions) as s:
            import_workbook(s, operator("bench"), workbooks[next(turn) % 2], plan_id)

    as_new_version()  # the plan starts with a budget as big as the one each run replaces
    report(f"{name}: import as a new plan", *median_of(repeats, as_new_plan))
    report(f"{name}: import as a changed version", *median_of(repeats, as_new_version))
    time_budget_page(name, engine, plan_id)


def server_url() -> str:
    if url := os.environ.get("PLACEPLAN_TEST_DATABASE_URL"):
        return url.rstrip("/")
    written = ROOT / "var" / "test-database-url"
    if written.exists():
        return written.read_text().strip().splitlines()[0].strip().rstrip("/")
    return "postgresql://postgres@127.0.0.1:5432"


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    base = server_url()
    name = f"placeplan_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    document = synthetic_document(args.schemes)
    meta = {
        "title": "Bench BCF 2025-26",
        "area_code": AREA,
        "area_name": "Leicestershire",
        "year": "2025-26",
    }
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "bcf-500.xlsx"
        changed = Path(tmp) / "bcf-500-changed.xlsx"
        start = time.perf_counter()
        write_workbook(workbook, meta, document, [])
        written = time.perf_counter() - start
        write_workbook(changed, meta, synthetic_document(args.schemes, bump_pence=1), [])
        size = workbook.stat().st_size
        print(
            f"workbook: {len(document.schemes)} schemes, {len(document.lines)} lines, "
            f"{len(document.income)} income lines; {size / 1024:.0f} KB, written in "
            f"{written * 1000:.0f} ms"
        )
        check = validate_workbook(workbook)
        errors = [f for f in check["findings"] if f["severity"] == "error"]
        print(f"validation: valid={check['valid']}, {len(errors)} errors")
        report("read", *median_of(args.repeats, lambda: read_parsed(workbook)))
        report("read + validate", *median_of(args.repeats, lambda: validate_workbook(workbook)))

        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        try:
            time_imports("SQLite", engine, (workbook, changed), args.repeats)
        finally:
            engine.dispose()
        if args.no_postgres:
            return 0
        try:
            with throwaway_postgres() as url:
                engine = make_engine(url)
                try:
                    time_imports("PostgreSQL", engine, (workbook, changed), args.repeats)
                finally:
                    engine.dispose()
        except psycopg.OperationalError as exc:
            print(f"PostgreSQL: not measured ({exc})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
