"""Sweeps kept with a plan: recorded (audited) by `placeplan capacity sweep --plan`, read by the
sweep pages. Visibility follows the plan's; recording needs the right to edit its models."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.capacity.models import CapacitySweep
from placeplan.capacity.service.stored import _require_edit
from placeplan.capacity.service.sweep import SweepOutcome
from placeplan.core.actor import Actor
from placeplan.core.errors import NotFound
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded


def record_sweep(
    session: Session,
    actor: Actor,
    plan_id: int,
    outcome: SweepOutcome,
    spec_yaml: str,
    scenario_yaml: str,
) -> CapacitySweep:
    """Keep a made sweep (its failed rows too) with plan `plan_id`."""
    plan = get_plan(session, actor, plan_id)
    _require_edit(actor, plan)
    row = CapacitySweep(
        plan_id=plan.id,
        name=outcome.spec.name[:200],
        spec_yaml=spec_yaml,
        scenario_yaml=scenario_yaml,
        replications=outcome.spec.replications,
        seed=outcome.spec.seed,
        tasks=len(outcome.rows),
        failed=len(outcome.failures),
        workers=outcome.workers,
        rows=outcome.rows,
        created_at=utcnow(),
        elapsed_seconds=outcome.elapsed_seconds,
    )
    return add_recorded(session, actor, "capacity_sweep", row)


def sweeps_of(session: Session, actor: Actor, plan_id: int) -> list[CapacitySweep]:
    get_plan(session, actor, plan_id)
    return list(
        session.scalars(
            select(CapacitySweep)
            .where(CapacitySweep.plan_id == plan_id)
            .order_by(CapacitySweep.created_at.desc(), CapacitySweep.id.desc())
        )
    )


def get_sweep(session: Session, actor: Actor, sweep_id: int) -> CapacitySweep:
    sweep = session.get(CapacitySweep, sweep_id)
    if sweep is None:
        raise NotFound(f"no capacity sweep {sweep_id}")
    get_plan(session, actor, sweep.plan_id)  # visibility follows the plan's
    return sweep


def plan_id_of(session: Session, actor: Actor, text: str) -> int:
    """A plan named on the command line: by its number, or by its key (leics-bcf-2025-26)."""
    text = text.strip()
    if text.isdigit():
        return get_plan(session, actor, int(text)).id
    found = session.scalar(select(Plan.id).where(Plan.key == text))
    if found is None:
        raise NotFound(f"no plan {text!r}: give its number or its key")
    return get_plan(session, actor, found).id
