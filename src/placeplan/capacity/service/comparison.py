"""Comparing finished runs of a plan's models, measure by measure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from placeplan.capacity.models import CapacityRun
from placeplan.capacity.service.predicted import delay_totals
from placeplan.capacity.service.runs import FINISHED
from placeplan.capacity.service.stored import get_run
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan

KEY_MEASURES = [
    ("mean_wait_days", "Mean wait (days)"),
    ("p_wait", "Share who wait"),
    ("p_start_within_2_days", "Share starting within 2 days"),
    ("mean_queue", "Mean queue"),
    ("utilisation", "Utilisation"),
    ("delayed_bed_days_per_month", "Delayed bed days a month (waiting in an acute bed)"),
    ("interim_placements_per_month", "Interim placements a month"),
    ("interim_days_per_month", "Interim days a month (waiting in an interim place)"),
    ("delayed_bed_day_cost_pence", "Cost of delayed bed days"),
    ("interim_cost_pence", "Cost of interim care"),
    ("total_cost_pence", "Total cost"),
]

# over all discharge services, side by side: what each counts is said under the table
DELAY_MEASURES = [
    ("delayed_bed_days_per_month", "Delayed bed days a month, all discharge services"),
    ("interim_placements_per_month", "Interim placements a month, all discharge services"),
    ("interim_days_per_month", "Interim days a month, all discharge services"),
]


@dataclass
class Comparison:
    plan: Plan
    runs: list[CapacityRun]
    services: list[str]
    names: dict[str, str]  # each service's plain name, as the runs' results give it
    rows: list[dict[str, Any]]  # {"service", "measure", "label", "values": [stat | None per run]}
    overall: list[dict[str, Any]]  # {"measure", "label", "values"}

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.id,
            "runs": [
                {
                    "id": r.id,
                    "model_id": r.model_id,
                    "model": r.model.name,
                    "replications": r.replications,
                    "seed": r.seed,
                    "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                }
                for r in self.runs
            ],
            "services": {
                sid: {row["measure"]: row["values"] for row in self.rows if row["service"] == sid}
                for sid in self.services
            },
            "overall": {row["measure"]: row["values"] for row in self.overall},
            "names": self.names,
        }


def compare_runs(session: Session, actor: Actor, plan_id: int, run_ids: list[int]) -> Comparison:
    plan = get_plan(session, actor, plan_id)
    if len(run_ids) < 2:
        raise InputError("choose two or more runs to compare", field="runs")
    runs = [get_run(session, actor, rid) for rid in run_ids]
    for r in runs:
        if r.model.plan_id != plan_id:
            raise InputError(f"run {r.id} is not a run of this plan's models", field="runs")
        if r.status != FINISHED:
            raise InputError(f"run {r.id} is {r.status}: only finished runs compare", field="runs")
    services: list[str] = []
    names: dict[str, str] = {}
    for r in runs:
        for sid, doc in (r.results or {}).get("services", {}).items():
            if sid not in services:
                services.append(sid)
                names[sid] = doc.get("name") or sid
    rows = []
    for sid in services:
        for measure, label in KEY_MEASURES:
            values = [
                ((r.results or {}).get("services", {}).get(sid) or {}).get(measure) for r in runs
            ]
            rows.append({"service": sid, "measure": measure, "label": label, "values": values})
    overall = []
    for measure, label in [
        ("share_on_drd", "Share discharged on their discharge ready date"),
        ("average_delay_days", "Average discharge delay (days)"),
    ]:
        values = [((r.results or {}).get("discharge_metric") or {}).get(measure) for r in runs]
        overall.append({"measure": measure, "label": label, "values": values})
    if any(((r.results or {}).get("discharge_metric") or {}).get("message") for r in runs):
        overall.append(
            {
                "measure": "no_steady_figure",
                "label": "Why there is no discharge delay figure",
                "values": [
                    ((r.results or {}).get("discharge_metric") or {}).get("message") for r in runs
                ],
            }
        )
    totals = [delay_totals(r.results or {}) for r in runs]
    for measure, label in DELAY_MEASURES:
        overall.append({"measure": measure, "label": label, "values": [t[measure] for t in totals]})
    overall.append(
        {
            "measure": "total_cost_pence",
            "label": "Total cost, all services",
            "values": [(r.results or {}).get("total_cost_pence") for r in runs],
        }
    )
    return Comparison(plan, runs, services, names, rows, overall)
