"""The demo's measures: the catalogue, the seeds' ambitions and published rates, and seeded
illustrative monthly series long enough for SPC charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.periods import parse_reporting_period
from placeplan.measures import service
from placeplan.measures.models import Metric
from placeplan.measures.service import commentary
from placeplan.plans.models import Plan

DATA = Path(__file__).resolve().parent / "data"


def _months(first: str, count: int) -> list[str]:
    start = parse_reporting_period(first).sort_key
    return [f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(count)]


def illustrative_rows(
    spec: dict[str, Any], populations: dict[str, int]
) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Rows per metric: counts from yearly rates with Poisson noise; deterministic for the seed."""
    rng = np.random.default_rng(int(spec["seed"]))
    months = _months(str(spec["first_month"]), int(spec["months"]))
    step = spec.get("step_change") or {}
    step_from = parse_reporting_period(step["from_month"]).sort_key if step else 0
    out: dict[str, list[tuple[int, dict[str, str]]]] = {
        "emergency_admissions_65_plus": [],
        "long_term_admissions_65_plus": [],
        "discharge_delay": [],
    }
    for code, people in populations.items():
        for n, month in enumerate(months, start=2):
            factor = (
                step.get("factor", 1)
                if (
                    step
                    and code == step["area"]
                    and parse_reporting_period(month).sort_key >= step_from
                )
                else 1
            )
            emergency = rng.poisson(
                people * spec["emergency_admissions_per_100k_65_plus"][code] / 100_000 / 12 * factor
            )
            long_term = rng.poisson(
                people * spec["long_term_admissions_per_100k_65_plus"][code] / 100_000 / 12
            )
            discharges = int(spec["acute_discharges_per_month"][code])
            delay_days = rng.poisson(discharges * spec["discharge_delay_days"][code])
            out["emergency_admissions_65_plus"].append(
                (n, {"area_code": code, "period": month, "numerator": str(emergency)})
            )
            out["long_term_admissions_65_plus"].append(
                (n, {"area_code": code, "period": month, "numerator": str(long_term)})
            )
            out["discharge_delay"].append(
                (
                    n,
                    {
                        "area_code": code,
                        "period": month,
                        "numerator": str(delay_days),
                        "denominator": str(discharges),
                    },
                )
            )
    return out


def breakdown_rows(item: dict[str, Any], held: set[str]) -> list[tuple[int, dict[str, str]]]:
    """Import rows from a block of `illustrative_breakdowns` ({area: {breakdown: {value: [n, d]}}})
    for the areas `held` (a smaller world, such as a test's, lacks some)."""
    out: list[tuple[int, dict[str, str]]] = []
    for code, kinds in item["areas"].items():
        if str(code) not in held:
            continue
        for kind, cells in kinds.items():
            for value, (numerator, denominator) in cells.items():
                out.append(
                    (
                        len(out) + 2,
                        {
                            "area_code": str(code),
                            "period": str(item["period"]),
                            "numerator": str(numerator),
                            "denominator": str(denominator),
                            "breakdown": str(kind),
                            "breakdown_value": str(value),
                        },
                    )
                )
    return out


def load_demo_measures(session: Session, actor: Actor) -> int:
    """Loads the catalogue and the demo's measures; returns how many measurements it wrote."""
    if session.scalar(select(Metric.id).limit(1)) is not None:
        return 0
    catalogue = yaml.safe_load((DATA / "metrics.yaml").read_text(encoding="utf-8"))
    for item in catalogue["metrics"]:
        service.add_metric(session, actor, item)
    session.flush()
    data = yaml.safe_load((DATA / "measures.yaml").read_text(encoding="utf-8"))
    file = str(DATA / "measures.yaml")
    written = 0
    held = set(session.scalars(select(Area.gss_code)))
    for n, item in enumerate(
        [*(data.get("seed_counts") or []), *(data.get("published") or [])], start=1
    ):
        if item["area"] not in held:
            continue
        fields = {"area_code": item["area"], "period": str(item["period"])}
        for name in ("value", "numerator", "breakdown", "breakdown_value"):
            if item.get(name) is not None:
                fields[name] = str(item[name])
        written += service.import_rows(
            session, actor, item["metric"], [(n, fields)], file=file, source=item["source"]
        )
    plans = {p.key: p.id for p in session.scalars(select(Plan))}
    for item in data.get("ambitions") or []:
        service.add_ambition(
            session, actor, item["metric"], item["area"], item, plans.get(item.get("plan"))
        )
    aims = data.get("illustrative_ambitions")
    if aims and session.scalar(select(Area.id).where(Area.gss_code == aims["area"])):
        for month in _months(str(aims["first_month"]), int(aims["months"])):
            service.add_ambition(
                session,
                actor,
                aims["metric"],
                aims["area"],
                {"period": month, "target": aims["target"], "source": aims["source"]},
            )
    for item in data.get("illustrative_breakdowns") or []:
        written += service.import_rows(
            session,
            actor,
            item["metric"],
            breakdown_rows(item, held),
            file=file,
            source="Illustrative breakdown generated for the demo (not data)",
            illustrative=True,
        )
    populations = {}
    for area in session.scalars(select(Area)):
        found = service.population_for(session, area.id, 2023, 65)
        if found:
            populations[area.gss_code] = found[0]
    for metric_key, rows in illustrative_rows(data["illustrative_series"], populations).items():
        written += service.import_rows(
            session,
            actor,
            metric_key,
            rows,
            file=file,
            source="Illustrative series generated for the demo (not data)",
            illustrative=True,
        )
    # after the series: a note speaks of a month's figure, which must be there
    for item in data.get("illustrative_commentary") or []:
        noted = session.scalar(select(Area).where(Area.gss_code == item["area"]))
        if noted is not None:
            commentary.set_commentary(
                session,
                actor,
                service.get_metric(session, item["metric"]),
                noted,
                str(item["period"]),
                item["text"],
                public=bool(item["public"]),
                illustrative=True,
            )
    return written
