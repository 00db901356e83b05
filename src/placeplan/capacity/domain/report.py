"""A run's results as JSON-ready dictionaries and as plain text."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from placeplan.capacity.domain.engine import WAIT_BANDS, RunResult, ServiceResult, wait_band_key
from placeplan.capacity.domain.interim import CAPACITY_FALLS, CAPACITY_FALLS_EXPLAINED
from placeplan.capacity.domain.statistics import summarise, summarise_rows

# measures over the reported period, in the order shown; the first ones are steady-state measures
# withheld (null) when a service's queue grows without bound
UNSTABLE = (
    "mean_wait_days",
    "p_wait",
    "p_start_within_2_days",
    "wait_p50_days",
    "wait_p90_days",
    "wait_p95_days",
    "mean_queue",
)
PERIOD = UNSTABLE + (
    "mean_occupancy",
    "utilisation",
    "demand_per_month",
    "admissions_per_month",
    "delayed_bed_days_per_month",
    "delayed_bed_day_cost",
    "interim_placements_per_month",
    "interim_days_per_month",
    "interim_cost",
    "home_wait_days_per_month",
    "blocked_days_per_month",
    "queue_at_end",
    "service_cost",
    "total_cost",
)
MONTHLY = (
    "demand",
    "admissions",
    "occupancy",
    "utilisation",
    "queue",
    "mean_wait_days",
    "p_wait",
    "p_start_within_2_days",
    "delayed_bed_days",
    "delayed_bed_day_cost",
    "interim_placements",
    "interim_days",
    "interim_cost",
    "home_wait_days",
    "blocked_days",
    "service_cost",
    "total_cost",
)
# monthly measures kept as fans (median and bands across replications), and their percentiles
FAN = ("occupancy", "queue")
FAN_PERCENTILES = (2.5, 25.0, 50.0, 75.0, 97.5)
FAN_KEYS = ("p2_5", "p25", "p50", "p75", "p97_5")
DISCHARGE = (
    "acute_discharges",
    "delayed_discharges",
    "share_on_drd",
    "mean_delay_days_of_delayed",
    "average_delay_days",
)


def finite(value: Any) -> Any:
    """The value with every non-finite float (an unbounded queue's mean) replaced by None, as
    JSON has no infinity."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def stat(values: Any) -> dict[str, float | None]:
    return summarise(np.asarray(values, dtype=np.float64)).as_dict()


def stat_columns(values: Any) -> list[dict[str, float | None]]:
    """`stat` of each column of (R, M) values (`summarise_rows`: the same numbers, at once)."""
    rows = np.ascontiguousarray(np.asarray(values, dtype=np.float64).T)
    return [x.as_dict() for x in summarise_rows(rows)]


def service_dict(result: RunResult, sr: ServiceResult) -> dict[str, Any]:
    s = sr.service
    out: dict[str, Any] = {
        "name": s.label,
        "kind": s.kind,
        "source": s.source,
        "length_of_stay": s.length_of_stay.describe(),
        "capacity_by_month": sr.capacity,
        "offered_load_by_month": [round(x, 3) for x in sr.load],
        "unbounded": sr.unbounded,
        "message": sr.message,
        "when_capacity_falls": s.capacity_falls,
        "capacity_falls_reading": CAPACITY_FALLS[s.capacity_falls],
        "interim": None,
    }
    if s.interim is not None:
        arrange = result.scenario.arrange_time(s.interim)
        out["interim"] = {
            "id": s.interim,
            "name": result.scenario.interim_label(s.interim),
            "time_to_arrange": arrange.describe() if arrange else None,
        }
    for key in PERIOD:
        out[key] = None if (sr.unbounded and key in UNSTABLE) else stat(sr.period[key])
    monthly = []
    columns = {key: stat_columns(sr.monthly[key]) for key in MONTHLY}
    if s.kind == "visits" and s.visits_per_day:
        columns["visits_per_day"] = stat_columns(sr.monthly["occupancy"] * s.visits_per_day)
    for m, label in enumerate(result.months):
        row: dict[str, Any] = {
            "month": label,
            "days": result.month_days[m],
            "capacity": sr.capacity[m],
        }
        for key, by_month in columns.items():
            row[key] = by_month[m]
        monthly.append(row)
    out["monthly"] = monthly
    out["fan"] = {key: fan(result, sr.monthly[key]) for key in FAN}
    # withheld, as the other steady-state waits are, where the queue grows without bound
    out["wait_distribution"] = (
        None
        if sr.unbounded
        else [{"within_days": d, "share": stat(sr.period[wait_band_key(d)])} for d in WAIT_BANDS]
    )
    return out


def fan(result: RunResult, values: Any) -> list[dict[str, Any]]:
    """Per month, the spread of the replications' values (R, M): the median and the 25/75 and
    2.5/97.5 percentiles, the bands of a fan chart."""
    v = np.asarray(values, dtype=np.float64)
    rows: list[dict[str, Any]] = []
    for m, label in enumerate(result.months):
        col = v[:, m]
        col = col[np.isfinite(col)]
        if len(col):
            qs = [float(x) for x in np.percentile(col, FAN_PERCENTILES)]
        else:
            qs = [math.nan] * len(FAN_PERCENTILES)
        rows.append({"month": label, **dict(zip(FAN_KEYS, qs, strict=True))})
    return rows


NO_STEADY_FIGURE = "grows without bound: no steady figure"


def discharge_dict(result: RunResult) -> dict[str, Any]:
    """The discharge-delay metric over the period; withheld (null, with why) when people wait in
    acute beds for a service whose queue grows without bound, as every figure would then depend
    on the run's length."""
    unbounded = list(result.discharge_unbounded)
    out: dict[str, Any] = {
        key: None if unbounded and key != "acute_discharges" else stat(result.discharge_period[key])
        for key in DISCHARGE
    }
    out["unbounded"] = unbounded
    out["message"] = (
        f"{NO_STEADY_FIGURE} (people wait in acute beds for {', '.join(unbounded)}, whose "
        "queue grows all year)"
        if unbounded
        else None
    )
    return out


def as_dict(result: RunResult) -> dict[str, Any]:
    """The `capacity run --format json` document."""
    sc = result.scenario
    discharge = discharge_dict(result)
    columns = {key: stat_columns(result.discharge_monthly[key]) for key in DISCHARGE}
    discharge["monthly"] = [
        {"month": label, **{key: columns[key][m] for key in DISCHARGE}}
        for m, label in enumerate(result.months)
    ]
    return {
        "scenario": sc.name,
        "file": sc.file,
        "start": sc.start,
        "days": sc.days,
        "warm_up_days": sc.warm_up_days,
        "months": result.months,
        "services": {sid: service_dict(result, sr) for sid, sr in result.services.items()},
        "discharge_metric": discharge,
        "total_cost": stat(result.total_cost),
        "unbounded": [sid for sid, sr in result.services.items() if sr.unbounded],
        "warnings": result.warnings,
        "notes": list(sc.notes),
        "replications": result.replications,
        "seed": result.seed,
    }


def _fmt(v: float | None, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def _ci(d: dict[str, float | None] | None, digits: int = 2) -> str:
    if d is None:
        return "not steady (grows without bound)"
    return f"{_fmt(d['value'], digits)} ({_fmt(d['low'], digits)} to {_fmt(d['high'], digits)})"


def _falls_lines(s: dict[str, Any]) -> list[str]:
    """How the service read a fall in capacity, why utilisation tops 100% where it does, and what
    a surge on a visits service adds."""
    lines = [f"  when capacity falls: {s['capacity_falls_reading']} (this run's reading)"]
    over = [r["month"] for r in s["monthly"] if (r["utilisation"]["value"] or 0) > 1.0]
    if over:
        why = CAPACITY_FALLS_EXPLAINED[s["when_capacity_falls"]]
        lines.append(f"  utilisation above 100% in {', '.join(over)}: {why}")
    if s["kind"] == "visits":
        lines.append("  a surge on a care-at-home service adds packages (people cared for at "
                     "once), not visit slots")  # fmt: skip
    return lines


def as_text(result: RunResult) -> str:
    """A readable summary: per service, the period measures and a month-by-month table."""
    doc = as_dict(result)
    lines = [
        f"{doc['scenario']}: {doc['replications']:,} replications, seed {doc['seed']}, "
        f"{doc['days']} days from {doc['start'] or 'day 0'} after {doc['warm_up_days']:g} "
        "days' warm-up",
        "Values are means over replications with their 95% confidence intervals.",
    ]
    for w in doc["warnings"]:
        lines.append(f"WARNING: {w}")
    for sid, s in doc["services"].items():
        lines.append("")
        lines.append(f"{sid} ({s['kind']}, {s['source']}, stay {s['length_of_stay']})")
        lines += _falls_lines(s)
        for key, label, digits in (
            ("mean_wait_days", "mean wait (days)", 3),
            ("p_wait", "share who wait", 3),
            ("p_start_within_2_days", "share starting within 2 days", 3),
            ("wait_p95_days", "95th percentile wait (days)", 2),
            ("mean_queue", "mean queue", 2),
            ("mean_occupancy", "mean occupancy", 1),
            ("utilisation", "utilisation", 3),
            ("delayed_bed_days_per_month", "delayed bed days a month", 1),
            ("interim_placements_per_month", "interim placements a month", 1),
            ("interim_days_per_month", "interim days a month", 1),
            ("home_wait_days_per_month", "days waiting at home a month", 1),
            ("blocked_days_per_month", "days blocked waiting to move on, a month", 1),
            ("total_cost", "total cost over the period", 0),
        ):
            lines.append(f"  {label:<42} {_ci(s[key], digits)}")
        lines.append(
            f"  {'month':<8} {'cap':>5} {'demand':>8} {'starts':>8} {'occupied':>9} "
            f"{'util':>6} {'queue':>7} {'wait':>7} {'delayed bd':>10}"
        )
        for row in s["monthly"]:
            lines.append(
                f"  {row['month']:<8} {row['capacity']:>5} {_fmt(row['demand']['value'], 0):>8} "
                f"{_fmt(row['admissions']['value'], 0):>8} {_fmt(row['occupancy']['value'], 1):>9} "
                f"{_fmt(row['utilisation']['value'], 2):>6} {_fmt(row['queue']['value'], 1):>7} "
                f"{_fmt(row['mean_wait_days']['value'], 2):>7} "
                f"{_fmt(row['delayed_bed_days']['value'], 0):>10}"
            )
    dm = doc["discharge_metric"]
    lines.append("")
    lines.append("Discharge delay metric (all acute discharges)")
    if dm["message"]:
        lines.append(f"  {dm['message']}")
    lines.append(f"  {'share discharged on their ready date':<42} {_ci(dm['share_on_drd'], 4)}")
    lines.append(
        f"  {'mean delay of the others (days)':<42} {_ci(dm['mean_delay_days_of_delayed'], 2)}"
    )
    lines.append(f"  {'average delay over all (days)':<42} {_ci(dm['average_delay_days'], 3)}")
    lines.append(f"Total cost: {_ci(doc['total_cost'], 0)}")
    return "\n".join(lines) + "\n"
