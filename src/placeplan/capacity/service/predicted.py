"""The predicted BCF metric (average length of discharge delay) from each model's latest run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.capacity.models import CapacityModel, CapacityRun
from placeplan.capacity.service.runs import FINISHED
from placeplan.core.actor import Actor
from placeplan.plans.service import get_plan

DISCHARGE_METRIC_KEY = "discharge_delay"  # demo/data/metrics.yaml


def predicted_metrics(session: Session, actor: Actor, plan_id: int) -> list[dict[str, Any]]:
    """Per capacity model of the plan, its latest finished run's predicted "average length of
    discharge delay" (the metric `discharge_delay`): the share of all acute discharges made on
    their discharge ready date, the mean delay of the others, and their product, the metric.

    The engine's `average_delay_days` is delayed days over all discharges, which is exactly that
    product: (delayed / all) x (delayed days / delayed)."""
    get_plan(session, actor, plan_id)
    out: list[dict[str, Any]] = []
    for model in session.scalars(
        select(CapacityModel)
        .where(CapacityModel.plan_id == plan_id)
        .order_by(CapacityModel.name, CapacityModel.id)
    ):
        run = session.scalars(
            select(CapacityRun)
            .where(CapacityRun.model_id == model.id, CapacityRun.status == FINISHED)
            .order_by(CapacityRun.id.desc())
            .limit(1)
        ).first()
        dm = ((run.results or {}).get("discharge_metric") or {}) if run else {}
        if run is None or not dm:
            continue
        out.append(
            {
                "metric": DISCHARGE_METRIC_KEY,
                "model_id": model.id,
                "model": model.name,
                "run_id": run.id,
                "replications": run.replications,
                "seed": run.seed,
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "start": (run.results or {}).get("start"),
                "share_on_drd": dm.get("share_on_drd"),
                "mean_delay_days_of_delayed": dm.get("mean_delay_days_of_delayed"),
                "average_delay_days": dm.get("average_delay_days"),
                # why there is no figure: people wait in acute beds for a place that never comes
                "message": dm.get("message"),
                **delay_totals(run.results or {}),
            }
        )
    return out


def _sum(values: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The sum of services' means (intervals do not add, so only the value is given)."""
    known = [v["value"] for v in values if v and v.get("value") is not None]
    return {"value": sum(known)} if known else None


def delay_totals(results: dict[str, Any]) -> dict[str, Any]:
    """Over a run's discharge services: delayed acute bed days, interim placements and interim
    days a month, side by side (a run stored before interim days were kept has none)."""
    services = [
        s for s in (results.get("services") or {}).values() if s.get("source") == "discharge"
    ]
    return {
        key: _sum([s.get(key) for s in services])
        for key in (
            "delayed_bed_days_per_month",
            "interim_placements_per_month",
            "interim_days_per_month",
        )
    }
