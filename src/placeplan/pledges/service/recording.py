"""Recording a measure's latest value: editors of the plan's area or system may, audited in the
caller's transaction and checked against the version the value was typed at."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.fields import plan_window
from placeplan.core.periods import parse_span
from placeplan.core.permissions import require
from placeplan.plans.service import get_plan
from placeplan.pledges.domain.document import parse_number, period_label
from placeplan.pledges.domain.fields import latest_period_problem, measure_limits
from placeplan.pledges.models import PledgeMeasure
from placeplan.pledges.service.reads import can_record, find_measure, place_name
from placeplan.store.changes import update_recorded
from placeplan.store.uow import check_version

LATEST_FIELDS = ["latest_value", "latest_period", "latest_illustrative", "latest_source"]


def record_latest(
    session: Session,
    actor: Actor,
    measure_id: int,
    expected_version: int | None,
    value: Any,
    period: Any,
    illustrative: bool = False,
    source: str | None = None,
) -> PledgeMeasure:
    """Record (or, with neither value nor period, clear) a measure's latest value. A save made
    from a stale version is refused with what moved since. `source` says where a value copied
    from the stored measurements came from; a typed value has none."""
    measure = session.get(PledgeMeasure, measure_id)
    if measure is None:
        raise NotFound(f"no pledge measure {measure_id}")
    plan = get_plan(session, actor, measure.plan_id)
    require(can_record(actor, plan), f"record pledge measures of {place_name(plan)}'s plans")
    check_version(session, measure, "pledge_measure", expected_version, LATEST_FIELDS)
    number = parse_number(value, "latest_value")
    label = period_label(period, "latest_period")
    if measure.direction is None and number is not None:
        raise InputError(
            f"measure {measure.ref} is still to be defined: it has no direction to judge a value by",
            field="latest_value",
        )
    if (number is None) != (label is None):
        raise InputError(
            "give both the latest value and the period it is for (or neither, to clear it)",
            field="latest_value" if number is None else "latest_period",
        )
    measure_limits(measure.unit).check({"latest_value": number})
    window = plan_window(plan.period_start, plan.period_end)
    if (message := latest_period_problem(window, label)) is not None:
        raise InputError(message, field="latest_period")
    if (
        label is not None
        and measure.baseline_period
        and parse_span(label).end < parse_span(measure.baseline_period).end
    ):
        raise InputError(
            f"{label} ends before the baseline period {measure.baseline_period}",
            field="latest_period",
        )
    update_recorded(
        session,
        actor,
        "pledge_measure",
        measure,
        {
            "latest_value": number,
            "latest_period": label,
            "latest_illustrative": bool(illustrative) and number is not None,
            "latest_source": source[:300] if source and number is not None else None,
        },
    )
    return measure


def record_latest_at(
    session: Session,
    actor: Actor,
    plan_id: int,
    pledge_ref: str,
    measure_ref: str,
    expected_version: int | None,
    value: Any,
    period: Any,
    illustrative: bool = False,
) -> PledgeMeasure:
    """record_latest for the measure a page or API path names."""
    measure = find_measure(session, actor, plan_id, pledge_ref, measure_ref)
    return record_latest(
        session, actor, measure.id, expected_version, value, period, illustrative=illustrative
    )
