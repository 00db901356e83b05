"""JSON API of a plan's pledges and interventions under /api/v1. Whoever may read the plan may
read them; editors of the plan's area or system (with a token, or a signed-in browser's CSRF
header) may record a measure's latest value, use its stored figure, and add or change pledges
and measures. Every write carries the version it was read at; a stale one answers 409 with what
changed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.pledges.domain.status import STATUSES
from placeplan.pledges.present import tables
from placeplan.pledges.present.answers import (
    InterventionsOut,
    PledgeMeasureOut,
    PledgeMeasureRemovedOut,
    PledgeOut,
    PledgesOut,
    intervention_json,
    measure_json,
    pledge_json,
)
from placeplan.pledges.service import editing, list_interventions
from placeplan.pledges.service.recording import record_latest_at
from placeplan.pledges.service.stored import (
    read_measure,
    read_pledge,
    read_pledges,
    use_stored_figure_at,
)
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1/plans/{plan_id}", tags=["pledges"])
# Keys an answer leaves out (a measure's `stored`, a pledge's `interventions`) stay out.
ANSWER: dict[str, Any] = {"response_model_exclude_unset": True}


class LatestBody(BaseModel):
    version: int
    value: str | None = None
    period: str | None = None
    illustrative: bool = False


class UseStoredBody(BaseModel):
    version: int


class PartnershipBody(BaseModel):
    name: str | None = None
    body_id: int | None = None


class PledgeBody(BaseModel):
    title: str
    statement: str
    priority: str | None = None
    description: str | None = None
    accountable: list[PartnershipBody]

    def partners(self) -> list[editing.PartnershipIn]:
        return [editing.PartnershipIn(p.name, p.body_id) for p in self.accountable]


class PledgeUpdateBody(PledgeBody):
    version: int


class MeasureBody(BaseModel):
    name: str
    unit: str | None = None
    direction: str | None = None
    baseline_value: str | None = None
    baseline_period: str | None = None
    target_value: str | None = None
    target_period: str | None = None
    metric: str | None = None
    source: str | None = None
    illustrative: bool = False

    def values(self) -> dict[str, Any]:
        given = self.model_dump()
        given["metric_key"] = given.pop("metric")
        return given


class MeasureUpdateBody(MeasureBody):
    version: int


# Reading


@router.get("/pledges", response_model=PledgesOut, **ANSWER)
def api_pledges(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """A plan's pledges with their measures, accountable partnerships and statuses; a measure
    that links a catalogue metric carries its latest stored figure as `stored`."""
    read = read_pledges(session, asker.actor, plan_id)
    return {
        "plan_id": read.plan.id,
        "counts": tables.counts(read.views),
        "statuses": STATUSES,
        "pledges": [pledge_json(v, signed_in=read.signed_in) for v in read.views],
    }


@router.get("/pledges/{ref}", response_model=PledgeOut, **ANSWER)
def api_pledge(
    plan_id: int, ref: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """One pledge with its measures and the interventions linked to it."""
    read = read_pledge(session, asker.actor, plan_id, ref)
    return pledge_json(read.views[0], with_interventions=True, signed_in=read.signed_in)


@router.get("/interventions", response_model=InterventionsOut, **ANSWER)
def api_interventions(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """A plan's interventions with their timelines and the pledge each is linked to."""
    plan, rows = list_interventions(session, asker.actor, plan_id)
    return {"plan_id": plan.id, "interventions": [intervention_json(r) for r in rows]}


# A measure's latest value


@router.put("/pledges/{ref}/measures/{measure_ref}", response_model=PledgeMeasureOut, **ANSWER)
def api_record_latest(
    plan_id: int,
    ref: str,
    measure_ref: str,
    body: LatestBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Record a measure's latest value and its period (send neither to clear it). `version` is
    the measure's version you read; a stale one answers 409 with what changed."""
    measure = committed(
        session,
        record_latest_at(
            session,
            asker.actor,
            plan_id,
            ref,
            measure_ref,
            body.version,
            body.value,
            body.period,
            body.illustrative,
        ),
    )
    return measure_json(read_measure(session, asker.actor, plan_id, measure, with_stored=False))


@router.post(
    "/pledges/{ref}/measures/{measure_ref}/use-stored-figure",
    response_model=PledgeMeasureOut,
    **ANSWER,
)
def api_use_stored(
    plan_id: int,
    ref: str,
    measure_ref: str,
    body: UseStoredBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Copy the measure's latest stored figure (its `stored` in the pledge's JSON: the area's
    latest measurement, or the system figure) into its latest value, so the status rules apply
    to it. Worked out afresh here; 400 when there is none, 409 for a stale `version`."""
    measure = committed(
        session, use_stored_figure_at(session, asker.actor, plan_id, ref, measure_ref, body.version)
    )
    return measure_json(read_measure(session, asker.actor, plan_id, measure))


# Changing pledges and measures


@router.post("/pledges", status_code=201, response_model=PledgeOut, **ANSWER)
def api_add_pledge(
    plan_id: int,
    body: PledgeBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Add a pledge, numbered after the plan's last. `accountable`: at least one partnership,
    each a governance body's id (`body_id`, of the plan's area or system), a `name`, or both."""
    ref = committed(
        session,
        editing.add_pledge(session, asker.actor, plan_id, body.model_dump(), body.partners()).ref,
    )
    return pledge_json(read_pledge(session, asker.actor, plan_id, ref).views[0], True)


@router.put("/pledges/{ref}", response_model=PledgeOut, **ANSWER)
def api_update_pledge(
    plan_id: int,
    ref: str,
    body: PledgeUpdateBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Change a pledge's title, statement, priority, description and accountable partnerships.
    `version` is the pledge's version you read; a stale one answers 409 with what changed."""
    committed(
        session,
        editing.update_pledge(
            session, asker.actor, plan_id, ref, body.version, body.model_dump(), body.partners()
        ),
    )
    return pledge_json(read_pledge(session, asker.actor, plan_id, ref).views[0], True)


@router.post("/pledges/{ref}/measures", status_code=201, response_model=PledgeMeasureOut, **ANSWER)
def api_add_measure(
    plan_id: int,
    ref: str,
    body: MeasureBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Add a measure to a pledge, numbered after its last (5.1, 5.2, ...). Figures are text
    ("95.5"), periods as the plan writes them ("2024-25", "2024-25 Q2", "2024-09")."""
    measure = committed(
        session, editing.add_measure(session, asker.actor, plan_id, ref, body.values())
    )
    return measure_json(read_measure(session, asker.actor, plan_id, measure))


@router.put(
    "/pledges/{ref}/measures/{measure_ref}/definition", response_model=PledgeMeasureOut, **ANSWER
)
def api_update_measure(
    plan_id: int,
    ref: str,
    measure_ref: str,
    body: MeasureUpdateBody,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Change a measure's definition: name, unit, direction, baseline and target with their
    periods, linked catalogue metric, source, illustrative. (PUT on the measure itself records
    its latest value.) A stale `version` answers 409 with what changed."""
    measure = committed(
        session,
        editing.update_measure(
            session, asker.actor, plan_id, ref, measure_ref, body.version, body.values()
        ),
    )
    return measure_json(read_measure(session, asker.actor, plan_id, measure))


@router.delete("/pledges/{ref}/measures/{measure_ref}", response_model=PledgeMeasureRemovedOut)
def api_remove_measure(
    plan_id: int,
    ref: str,
    measure_ref: str,
    version: int,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Remove a measure (`?version=` the version you read). A pledge's only measure cannot be
    removed (400): add its replacement first. The removal is in the audit log."""
    editing.remove_measure(session, asker.actor, plan_id, ref, measure_ref, version)
    return committed(session, {"removed": measure_ref, "pledge": ref, "plan_id": plan_id})
