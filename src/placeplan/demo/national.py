"""The synthetic national dataset: every HWB area of England beside LLR's real three, in NHS
regions and systems, each with five years of BCF plans (budgets, schemes, sign-off in every state),
60 months of the national metrics and ambitions. Names and codes are synthetic and say so: GSS
codes in the 9xxxxx range no real area has, names ending "(synthetic)".

Built through the services (so the audit log, revision tokens and search index fill as in use):
one transaction per area, so a benchmark can build areas in parallel worker processes
(`build_area` is the worker's job) and the demo command in one process.
"""

from __future__ import annotations

import multiprocessing
import random
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from placeplan.areas import service as areas
from placeplan.areas.models import Region, System
from placeplan.budget import service as budget
from placeplan.budget.domain.document import document_from_mapping
from placeplan.core.actor import Actor, operator
from placeplan.governance import service as governance
from placeplan.measures import service as measures
from placeplan.organisations import service as organisations
from placeplan.plans import service as plans
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work

# NHS England's seven regions (their ONS codes): real, as the regional teams are.
REGIONS = (
    ("E40000012", "North East and Yorkshire"),
    ("E40000010", "North West"),
    ("E40000011", "Midlands"),
    ("E40000007", "East of England"),
    ("E40000003", "London"),
    ("E40000005", "South East"),
    ("E40000006", "South West"),
)
LONDON = "E40000003"
MIDLANDS = "E40000011"
# England's 153 HWB areas by GSS entity type, less LLR's real three (two unitaries, one county).
SYNTHETIC_AREA_TYPES = (("E06", 61), ("E08", 36), ("E09", 33), ("E10", 20))
LONDON_SYSTEMS = 5  # the London boroughs' systems
OTHER_SYSTEMS = 36  # with LLR, England's 42
PERIODS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")
BANDS = ("0-64", "65-84", "85+")
POPULATION_YEARS = range(2019, 2025)
FIRST_MONTH = "2020-11"
MONTHS = 60
SOURCE = "Synthetic national dataset (not data)"
METRICS = ("emergency_admissions_65_plus", "long_term_admissions_65_plus", "discharge_delay")


def region_of_system(systems: list[tuple[str, str, str]]) -> dict[str, str]:
    return {code: region for code, _name, region in systems}


@dataclass(frozen=True)
class AreaJob:
    """What one worker builds: an area, its organisations, body, plans and metric series."""

    gss: str
    name: str
    system: str
    seed: int
    edits_per_plan: int = 0


@dataclass
class National:
    gss_codes: list[str] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)
    systems: int = 0


def act() -> Actor:
    return operator("national-loader", via="system")


def _months() -> list[str]:
    year, month = int(FIRST_MONTH[:4]), int(FIRST_MONTH[5:])
    start = year * 12 + month - 1
    return [f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(MONTHS)]


def plan_jobs(
    seed: int, edits_per_plan: int = 0
) -> tuple[list[tuple[str, str, str]], list[AreaJob]]:
    """The synthetic systems (code, name, region code) and one job per synthetic area."""
    rng = random.Random(seed)
    codes: list[str] = []
    for prefix, count in SYNTHETIC_AREA_TYPES:
        codes += [f"{prefix}{900001 + n:06d}" for n in range(count)]
    london = [c for c in codes if c.startswith("E09")]
    others = [c for c in codes if not c.startswith("E09")]
    rng.shuffle(others)
    regions_elsewhere = [code for code, _ in REGIONS if code != LONDON]
    systems: list[tuple[str, str, str]] = []
    jobs: list[AreaJob] = []
    for n in range(LONDON_SYSTEMS + OTHER_SYSTEMS):
        region = LONDON if n < LONDON_SYSTEMS else regions_elsewhere[n % len(regions_elsewhere)]
        systems.append((f"SYN{n + 1:02d}", f"Synthetic Integrated Care System {n + 1}", region))
    for i, gss in enumerate(london):
        jobs.append(
            AreaJob(gss, area_name(gss), systems[i % LONDON_SYSTEMS][0], seed, edits_per_plan)
        )
    for i, gss in enumerate(others):
        system = systems[LONDON_SYSTEMS + i % OTHER_SYSTEMS][0]
        jobs.append(AreaJob(gss, area_name(gss), system, seed, edits_per_plan))
    return systems, jobs


def area_name(gss: str) -> str:
    return f"Place {gss[-4:]} {gss[:3]} (synthetic)"


def build_shared(session: Session, systems: list[tuple[str, str, str]]) -> None:
    """Regions (LLR's system placed in the Midlands) and the synthetic systems."""
    held = {r.code for r in session.scalars(select(Region))}
    for code, name in REGIONS:
        if code not in held:
            areas.create_region(session, act(), code, name)
    llr = session.scalar(select(System).where(System.code == "LLR"))
    if llr is not None and llr.region_id is None:
        areas.place_system_in_region(session, act(), "LLR", MIDLANDS)
    for code, name, region in systems:
        areas.create_system(session, act(), code, name, region)


def build_area(session: Session, job: AreaJob) -> list[int]:
    """One synthetic area whole: population, council, ICB membership, HWB, plans and metrics."""
    rng = random.Random(f"{job.seed}-{job.gss}")
    area = areas.create_area(
        session,
        act(),
        job.gss,
        job.name,
        job.system,
        registered_patients=rng.randrange(150_000, 1_500_000),
        patients_in_most_deprived_20pct=rng.randrange(10_000, 300_000),
        patients_source=SOURCE,
    )
    young = rng.randrange(100_000, 1_000_000)
    for year in POPULATION_YEARS:
        grown = young + (year - 2019) * young // 200
        bands = dict(zip(BANDS, (grown, grown // 6, grown // 40), strict=True))
        areas.set_population(session, act(), area, year, bands, illustrative=True, source=SOURCE)
    council = f"council-{job.gss}"
    organisations.create_organisation(
        session, act(), council, f"{job.name} Council", "upper_tier_council", None, [job.gss]
    )
    members = [council]
    if job.gss.startswith("E10"):
        for d in (1, 2):
            key = f"district-{job.gss}-{d}"
            organisations.create_organisation(
                session,
                act(),
                key,
                f"District {d} of {job.name}",
                "district_council",
                None,
                [job.gss],
            )
            members.append(key)
    governance.create_body(
        session,
        act(),
        f"hwb-{job.gss}",
        f"{job.name} Health and Wellbeing Board",
        "HWB",
        area_code=job.gss,
        member_keys=members,
        may_approve=["bcf_plan"],
    )
    over_65 = grown // 6 + grown // 40
    _metric_series(session, job, rng, over_65)
    return [_plan(session, job, rng, area.id, period, council) for period in PERIODS]


def _metric_series(session: Session, job: AreaJob, rng: random.Random, over_65: int) -> None:
    """60 months of the three national metrics, Poisson noise around the area's own rates."""
    noise = np.random.default_rng(rng.randrange(2**32))
    emergency = rng.uniform(1500, 2600) / 100_000 / 12 * over_65
    long_term = rng.uniform(400, 650) / 100_000 / 12 * over_65
    discharges = max(50, over_65 // 40)
    delay = rng.uniform(0.5, 1.4)
    rows: dict[str, list[tuple[int, dict[str, str]]]] = {key: [] for key in METRICS}
    for n, month in enumerate(_months(), start=2):
        base = {"area_code": job.gss, "period": month}
        rows[METRICS[0]].append((n, {**base, "numerator": str(noise.poisson(emergency))}))
        rows[METRICS[1]].append((n, {**base, "numerator": str(noise.poisson(long_term))}))
        rows[METRICS[2]].append(
            (
                n,
                {
                    **base,
                    "numerator": str(noise.poisson(discharges * delay)),
                    "denominator": str(discharges),
                },
            )
        )
    for key, metric_rows in rows.items():
        measures.import_rows(
            session, act(), key, metric_rows, file=SOURCE, source=SOURCE, illustrative=True
        )


def budget_mapping(rng: random.Random, period: str, council: str) -> dict[str, Any]:
    """A budget of 6 to 14 schemes whose income by source equals its expenditure."""
    second = "better_care_grant" if period >= "2025-26" else "ibcf"
    categories = ("acute", "intermediate_care_and_discharge", "community_and_prevention")
    spend = (("social_care", "la", "local_authority"), ("community_health", "nhs", "nhs_community"))
    schemes = []
    by_source: dict[str, int] = {}
    for n in range(rng.randrange(6, 15)):
        lines = []
        for m in range(rng.randrange(1, 3)):
            source = "nhs_minimum" if (n + m) % 3 else second
            area_of_spend, commissioner, provider = spend[(n + m) % 2]
            amount = rng.randrange(2_000, 90_000) * 10_000  # pence: £200k to £9m in £100s
            by_source[source] = by_source.get(source, 0) + amount
            lines.append(
                {
                    "id": f"S{n + 1}-{m + 1}",
                    "funding_source": source,
                    "amount_pence": amount,
                    "new_pence": 0,
                    "area_of_spend": area_of_spend,
                    "commissioner": commissioner,
                    "provider": provider,
                    "note": "Synthetic line",
                }
            )
        schemes.append(
            {
                "id": f"S{n + 1}",
                "name": f"Synthetic scheme {n + 1}",
                "scheme_type": "other",
                "category": categories[n % 3],
                "description": "A synthetic scheme of the national dataset",
                "metrics": [METRICS[n % 3]],
                "lines": lines,
            }
        )
    income = [
        {"source": source, "contributor": council, "amount_pence": amount}
        for source, amount in sorted(by_source.items())
    ]
    return {"year": period, "schemes": schemes, "income": income}


def _plan(
    session: Session, job: AreaJob, rng: random.Random, area_id: int, period: str, council: str
) -> int:
    start = int(period[:4])
    plan = plans.create_plan(
        session,
        act(),
        "bcf_plan",
        f"{job.name} BCF {period}",
        period,
        area_code=job.gss,
        summary="Better Care Fund plan (synthetic)" if rng.random() < 0.9 else None,
    )
    mapping = budget_mapping(rng, period, council)
    nhs_asc = sum(
        line["amount_pence"]
        for scheme in mapping["schemes"]
        for line in scheme["lines"]
        if line["funding_source"] == "nhs_minimum" and line["area_of_spend"] == "social_care"
    )
    budget.set_nhs_asc_baseline(session, act(), area_id, start, nhs_asc * 85 // 100)
    budget.load_document(session, act(), plan.id, document_from_mapping(mapping), SOURCE)
    if rng.random() < 0.85:  # some areas set no ambition for a metric their schemes name
        for key in METRICS:
            measures.add_ambition(
                session,
                act(),
                key,
                job.gss,
                {"period": period, "target": round(rng.uniform(1, 1000), 1), "source": SOURCE},
                plan.id,
            )
    plans.add_step(
        session, act(), plan.id, body_key=f"hwb-{job.gss}", planned_date=date(start, 3, 20)
    )
    roles = ("chief_executive", "s151_officer") if rng.random() < 0.9 else ("chief_executive",)
    for role in roles:
        plans.add_step(session, act(), plan.id, signatory_role=role, organisation_key=council)
    for n in range(job.edits_per_plan):
        plans.update_plan(session, act(), plan.id, None, summary=f"Draft {n + 1}")
    _sign_off(session, rng, plan.id, _fate(rng, period), date(start, 3, rng.randrange(1, 28)))
    return plan.id


def _fate(rng: random.Random, period: str) -> str:
    roll = rng.random()
    if period < "2024-25":
        return "published"
    if period == "2024-25":
        return "published" if roll < 0.8 else "approved"
    for fate, below in (("draft", 0.2), ("submitted", 0.55), ("rejected", 0.65), ("approved", 0.9)):
        if roll < below:
            return fate
    return "published"


def _submit(session: Session, plan_id: int) -> None:
    plan = plans.get_plan(session, act(), plan_id)
    plans.change_status(
        session, act(), plan_id, "submitted", None, plans.warning_keys(session, plan)
    )


def _sign_off(session: Session, rng: random.Random, plan_id: int, fate: str, day: date) -> None:
    if fate == "draft":
        return
    steps = [step.id for step in plans.get_plan(session, act(), plan_id).steps]
    _submit(session, plan_id)
    if fate == "rejected":
        plans.record_decision(session, act(), steps[0], "rejected", day, note="Needs more detail")
        return
    if fate == "submitted":
        plans.record_decision(session, act(), steps[0], "approved", day)
        return
    for step_id in steps:
        plans.record_decision(session, act(), step_id, "approved", day)
    if fate == "published":
        plans.change_status(session, act(), plan_id, "published", None)


_worker_sessions: sessionmaker[Session] | None = None


def _start_worker(url: str, prepare: Callable[[], None]) -> None:
    global _worker_sessions
    prepare()  # a spawned worker is a composition root of its own: app.wiring.wire
    _worker_sessions = session_factory(make_engine(url, pool_size=1, max_overflow=0))


def _build_in_worker(job: AreaJob) -> list[int]:
    assert _worker_sessions is not None
    with unit_of_work(_worker_sessions) as session:
        return build_area(session, job)


def in_processes(
    url: str, workers: int, prepare: Callable[[], None]
) -> Callable[[list[AreaJob]], Iterable[list[int]]]:
    """Build the areas in `workers` spawned processes (PostgreSQL: SQLite allows one writer);
    each runs `prepare` first (the caller's wiring: demo comes before app)."""

    def run(jobs: list[AreaJob]) -> Iterable[list[int]]:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(url, prepare),
        ) as pool:
            yield from pool.map(_build_in_worker, jobs)

    return run


def build_national(
    sessions: sessionmaker[Session],
    seed: int = 20250401,
    edits_per_plan: int = 0,
    run_jobs: Callable[[list[AreaJob]], Iterable[list[int]]] | None = None,
    progress: Callable[[int], None] | None = None,
    only: Collection[str] | None = None,
) -> National:
    """The regions and systems in one transaction, then each area in its own. `run_jobs` runs the
    areas elsewhere (`in_processes`); by default they are built here, in turn. `only` builds
    only the areas with those GSS codes (tests)."""
    systems, jobs = plan_jobs(seed, edits_per_plan)
    jobs = [job for job in jobs if only is None or job.gss in only]
    with unit_of_work(sessions) as session:
        build_shared(session, systems)

    def here(todo: list[AreaJob]) -> Iterable[list[int]]:
        for job in todo:
            with unit_of_work(sessions) as session:
                yield build_area(session, job)

    data = National(gss_codes=[job.gss for job in jobs], systems=len(systems))
    for ids in (run_jobs or here)(jobs):
        data.plan_ids.extend(ids)
        if progress is not None:
            progress(len(ids))
    return data


def national_loaded(session: Session) -> bool:
    return session.scalar(select(System.id).where(System.code == "SYN01")) is not None
