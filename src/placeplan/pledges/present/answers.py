"""The JSON answers about pledges, measures and interventions: the pydantic schemas the API
declares (so /api/v1/openapi.json describes every answer) and the plain dicts that fill them
(the command line prints the same). A key that is sometimes left out (a measure's `stored`, a
pledge's `interventions`) is optional in its schema; the API leaves unset keys out.

Every pledge, measure and intervention listed carries its `id`, `version` and `url` (a pledge's
and a measure's address in the API; an intervention's table on the interventions page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from placeplan.pledges.domain.timelines import financial_year_label
from placeplan.pledges.models import Intervention, PledgeMeasure
from placeplan.pledges.service.reads import MeasureView, PledgeView

# The schemas


class PledgeFigureOut(BaseModel):
    value: str | None
    period: str | None


class PledgeLatestOut(PledgeFigureOut):
    illustrative: bool
    source: str | None


class StoredFigureOut(BaseModel):
    """A measure's latest stored figure (the area's latest measurement, or the system figure)."""

    metric: str
    kind: str
    label: str
    value: str | None
    period: str | None
    method: str | None
    areas: list[str]
    links: list[str]
    illustrative: bool
    withheld: bool
    reason: str | None


class PledgeMeasureOut(BaseModel):
    id: int
    ref: str
    name: str
    definition: str | None
    metric: str | None
    unit: str | None
    direction: str | None
    baseline: PledgeFigureOut
    target: PledgeFigureOut
    latest: PledgeLatestOut
    status: str
    time_elapsed: str | None
    expected_now: str | None
    distance_covered: str | None
    illustrative: bool
    source: str | None
    note: str | None
    version: int
    url: str
    stored: StoredFigureOut | None = None


class PledgePartnershipOut(BaseModel):
    name: str
    body_id: int | None
    body: str | None


class InterventionOut(BaseModel):
    id: int
    table: str
    table_title: str | None
    number: str
    area: str | None
    description: str
    timeline: str | None
    start_year: str | None
    end_year: str | None
    open_ended: bool
    pledge: str | None
    illustrative: bool
    note: str | None
    version: int
    url: str


class PledgeOut(BaseModel):
    id: int
    ref: str
    number: int
    title: str
    statement: str
    priority: str | None
    description: str | None
    status: str
    accountable: list[PledgePartnershipOut]
    measures: list[PledgeMeasureOut]
    source: str | None
    version: int
    url: str
    interventions: list[InterventionOut] | None = None


class PledgesOut(BaseModel):
    plan_id: int
    counts: dict[str, int]
    statuses: dict[str, str]
    pledges: list[PledgeOut]


class InterventionsOut(BaseModel):
    plan_id: int
    interventions: list[InterventionOut]


class PledgeMeasureRemovedOut(BaseModel):
    removed: str
    pledge: str
    plan_id: int


# Filling them


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _share(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def pledge_url(plan_id: int, ref: str) -> str:
    return f"/api/v1/plans/{plan_id}/pledges/{ref}"


def measure_url(measure: PledgeMeasure) -> str:
    return f"{pledge_url(measure.plan_id, measure.pledge.ref)}/measures/{measure.ref}"


def measure_json(view: MeasureView, signed_in: bool = True) -> dict[str, Any]:
    m, a = view.measure, view.assessment
    out: dict[str, Any] = {
        "id": m.id,
        "ref": m.ref,
        "name": m.name,
        "definition": m.definition,
        "metric": m.metric_key,
        "unit": m.unit,
        "direction": m.direction,
        "baseline": {"value": _number(m.baseline_value), "period": m.baseline_period},
        "target": {"value": _number(m.target_value), "period": m.target_period},
        "latest": {
            "value": _number(m.latest_value),
            "period": m.latest_period,
            "illustrative": m.latest_illustrative,
            "source": m.latest_source,
        },
        "status": a.status,
        "time_elapsed": _share(a.time_elapsed),
        "expected_now": _number(a.expected.quantize(Decimal("0.01")) if a.expected else None),
        "distance_covered": _share(a.distance_covered),
        "illustrative": m.illustrative,
        "source": m.source,
        "note": m.note,
        "version": m.version,
        "url": measure_url(m),
    }
    if view.stored is not None:
        out["stored"] = view.stored.as_json(signed_in)
    return out


def pledge_json(
    view: PledgeView, with_interventions: bool = False, signed_in: bool = True
) -> dict[str, Any]:
    p = view.pledge
    out: dict[str, Any] = {
        "id": p.id,
        "ref": p.ref,
        "number": p.number,
        "title": p.title,
        "statement": p.statement,
        "priority": p.priority,
        "description": p.description,
        "status": view.status,
        "accountable": [
            {"name": a.name, "body_id": a.body_id, "body": a.body.name if a.body else None}
            for a in view.accountable
        ],
        "measures": [measure_json(m, signed_in) for m in view.measures],
        "source": p.source,
        "version": p.version,
        "url": pledge_url(p.plan_id, p.ref),
    }
    if with_interventions:
        out["interventions"] = [intervention_json(i) for i in view.interventions]
    return out


def table_slug(table_ref: str) -> str:
    """The id of an interventions table's heading on the interventions page."""
    return table_ref.lower().replace(" ", "-")


def intervention_json(row: Intervention) -> dict[str, Any]:
    return {
        "id": row.id,
        "table": row.table_ref,
        "table_title": row.table_title,
        "number": row.number,
        "area": row.area,
        "description": row.description,
        "timeline": row.timeline,
        "start_year": financial_year_label(row.start_year) if row.start_year else None,
        "end_year": financial_year_label(row.end_year) if row.end_year else None,
        "open_ended": row.start_year is not None and row.end_year is None,
        "pledge": row.pledge.ref if row.pledge else None,
        "illustrative": row.illustrative,
        "note": row.note,
        "version": row.version,
        "url": f"/plans/{row.plan_id}/interventions#{table_slug(row.table_ref)}",
    }
