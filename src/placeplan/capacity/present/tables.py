"""CSV tables of a run (monthly, fan, waits) and of the predicted metric: columns and rows.
Services are named by their plain names (their ids only where the scenario gives no name)."""

from __future__ import annotations

from typing import Any

from placeplan.capacity.models import CapacityRun
from placeplan.capacity.present.format import stat_value as _v

CSV_COLUMNS = [
    "service",
    "month",
    "capacity",
    "demand",
    "admissions",
    "occupancy",
    "occupancy_p2_5",
    "occupancy_p97_5",
    "utilisation",
    "queue",
    "mean_wait_days",
    "delayed_bed_days",
    "delayed_bed_day_cost_pence",
    "interim_placements",
    "interim_days",
    "interim_cost_pence",
    "total_cost_pence",
]


def monthly_rows(run: CapacityRun) -> list[list[Any]]:
    rows = []
    for sid, doc in (run.results or {}).get("services", {}).items():
        for r in doc["monthly"]:
            rows.append(
                [
                    doc.get("name") or sid,
                    r["month"],
                    r["capacity"],
                    _v(r["demand"]),
                    _v(r["admissions"]),
                    _v(r["occupancy"]),
                    _v(r["occupancy"], "p2_5"),
                    _v(r["occupancy"], "p97_5"),
                    _v(r["utilisation"]),
                    _v(r["queue"]),
                    _v(r["mean_wait_days"]),
                    _v(r["delayed_bed_days"]),
                    _v(r["delayed_bed_day_cost_pence"]),
                    _v(r["interim_placements"]),
                    _v(r.get("interim_days")),
                    _v(r["interim_cost_pence"]),
                    _v(r["total_cost_pence"]),
                ]
            )
    return rows


FAN_COLUMNS = ["service", "measure", "month", "p2_5", "p25", "p50", "p75", "p97_5"]


def fan_rows(run: CapacityRun) -> list[list[Any]]:
    rows = []
    for sid, doc in (run.results or {}).get("services", {}).items():
        for measure, months in (doc.get("fan") or {}).items():
            for r in months:
                rows.append(
                    [doc.get("name") or sid, measure, r["month"]]
                    + [r.get(k) for k in FAN_COLUMNS[3:]]
                )
    return rows


WAIT_COLUMNS = ["service", "within_days", "share", "low", "high", "p2_5", "p97_5"]


def wait_rows(run: CapacityRun) -> list[list[Any]]:
    """The waiting time distribution of each service (none where its queue grows without bound,
    nor for runs stored before it was kept)."""
    rows = []
    for sid, doc in (run.results or {}).get("services", {}).items():
        for band in doc.get("wait_distribution") or []:
            share = band["share"]
            rows.append(
                [doc.get("name") or sid, band["within_days"], share.get("value")]
                + [share.get(k) for k in WAIT_COLUMNS[3:]]
            )
    return rows


PREDICTED_COLUMNS = [
    "model_id",
    "model",
    "run_id",
    "replications",
    "seed",
    "share_on_drd",
    "share_on_drd_low",
    "share_on_drd_high",
    "mean_delay_days_of_delayed",
    "average_delay_days",
    "average_delay_days_low",
    "average_delay_days_high",
    "delayed_bed_days_per_month",
    "interim_placements_per_month",
    "interim_days_per_month",
    "no_steady_figure",
]


def predicted_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["model_id"],
            r["model"],
            r["run_id"],
            r["replications"],
            r["seed"],
            _v(r["share_on_drd"]),
            _v(r["share_on_drd"], "low"),
            _v(r["share_on_drd"], "high"),
            _v(r["mean_delay_days_of_delayed"]),
            _v(r["average_delay_days"]),
            _v(r["average_delay_days"], "low"),
            _v(r["average_delay_days"], "high"),
            _v(r.get("delayed_bed_days_per_month")),
            _v(r.get("interim_placements_per_month")),
            _v(r.get("interim_days_per_month")),
            r.get("message") or "",
        ]
        for r in rows
    ]
