"""Loading a plan's pledges, their measures and accountable partnerships, and its interventions
from a document (a mapping, as the demo's YAML reads): every row is checked (pledges.domain.document)
before anything is written, and every write is audited in the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.permissions import require
from placeplan.governance.models import Body
from placeplan.measures.models import Metric
from placeplan.plans.service import get_plan
from placeplan.pledges.domain.document import plan_interventions, plan_pledges
from placeplan.pledges.models import Intervention, Pledge, PledgeMeasure, PledgePartnership
from placeplan.pledges.service.reads import PLEDGE_KINDS, can_record
from placeplan.store.changes import add_many_recorded


def load_document(
    session: Session,
    actor: Actor,
    plan_id: int,
    document: Mapping[str, Any],
    file: str | None = None,
) -> dict[str, int]:
    """Load a plan's pledges, their measures and accountable partnerships, and its interventions,
    into a plan that has none yet. Everything is checked before anything is written."""
    plan = get_plan(session, actor, plan_id)
    require(can_record(actor, plan), "add pledges to this plan")
    if plan.kind not in PLEDGE_KINDS:
        raise InputError(
            f"plan {plan_id} is a {plan.kind}: pledges belong to five-year or delivery plans",
            field="plan",
            file=file,
        )
    if session.scalar(select(Pledge.id).where(Pledge.plan_id == plan_id).limit(1)) is not None:
        raise InputError(f"plan {plan_id} already has pledges", field="plan", file=file)
    bodies = {key: id_ for id_, key in session.execute(select(Body.id, Body.key))}
    metric_keys = set(session.scalars(select(Metric.key)))
    planned = plan_pledges(document.get("pledges") or [], file, bodies, metric_keys)
    interventions = plan_interventions(
        document.get("interventions") or [], file, {p.pledge["ref"] for p in planned}
    )

    pledges = add_many_recorded(
        session, actor, "pledge", [Pledge(plan_id=plan_id, **p.pledge) for p in planned]
    )
    by_ref = {p.ref: p for p in pledges}
    add_many_recorded(
        session,
        actor,
        "pledge_partnership",
        [
            PledgePartnership(plan_id=plan_id, pledge_id=pledge.id, **values)
            for pledge, p in zip(pledges, planned, strict=True)
            for values in p.partnerships
        ],
    )
    measures = add_many_recorded(
        session,
        actor,
        "pledge_measure",
        [
            PledgeMeasure(plan_id=plan_id, pledge_id=pledge.id, **values)
            for pledge, p in zip(pledges, planned, strict=True)
            for values in p.measures
        ],
    )
    add_many_recorded(
        session,
        actor,
        "intervention",
        [
            Intervention(
                plan_id=plan_id,
                pledge_id=by_ref[row["pledge_ref"]].id if row["pledge_ref"] else None,
                **{k: v for k, v in row.items() if k != "pledge_ref"},
            )
            for row in interventions
        ],
    )
    return {
        "pledges": len(pledges),
        "measures": len(measures),
        "partnerships": sum(len(p.partnerships) for p in planned),
        "interventions": len(interventions),
    }
