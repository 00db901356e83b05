"""Changing a plan's pledges after they were loaded: edit a pledge and who is accountable for it,
add a pledge, add, edit and remove a measure. Editors of the plan's area or system may do so
(the rule that lets them record a latest value). Every write is audited in the caller's
transaction; a save made from a stale version is refused with what moved since.

A pledge's accountable partnerships are rows of their own, so a change to them alone would not
move the pledge's version: the pledge's row is rewritten (its version moves) whenever they
change, and its audit states carry them as "accountable", so a stale pledge form is refused and
told that they moved. Removing a measure is refused when it is the pledge's only one: a pledge
is judged by its measures, and one left with none could never be more than "not yet measured"
(add the replacement first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError
from placeplan.core.periods import parse_span
from placeplan.measures.models import Metric
from placeplan.plans.models import Plan
from placeplan.pledges.domain import status as rules
from placeplan.pledges.domain.document import parse_number, period_label
from placeplan.pledges.domain.fields import PLEDGE, measure_limits
from placeplan.pledges.domain.typed import clean, limited, paragraphs, pledge_values, required
from placeplan.pledges.models import Pledge, PledgeMeasure, PledgePartnership
from placeplan.pledges.service.reads import (
    PLEDGE_KINDS,
    bodies_for,
    current_partnerships,
    editable_plan,
    find_measure,
    find_pledge,
    metric_choices,
)
from placeplan.pledges.service.recording import LATEST_FIELDS
from placeplan.store import audit
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

# The lookups the edit pages use are here too, so `editing.find_pledge(...)` keeps working.
__all__ = [
    "PartnershipIn",
    "add_measure",
    "add_pledge",
    "bodies_for",
    "current_partnerships",
    "editable_plan",
    "find_pledge",
    "measure_values",
    "metric_choices",
    "pledge_values",
    "remove_measure",
    "update_measure",
    "update_pledge",
]

PLEDGE_FIELDS = ["title", "statement", "priority", "description", "accountable"]
MEASURE_FIELDS = [
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_period",
    "target_value",
    "target_period",
    "metric_key",
    "source",
    "illustrative",
]


@dataclass(frozen=True)
class PartnershipIn:
    """One accountable partnership as typed: a governance body chosen from the list, a name,
    or both (the name as the plan gives it, linked to the body)."""

    name: str | None = None
    body_id: int | None = None


def _partnerships(
    session: Session, plan: Plan, given: Sequence[PartnershipIn], current: Sequence[int]
) -> list[dict[str, Any]]:
    allowed = {b.id: b for b in bodies_for(session, plan, current)}
    out: list[dict[str, Any]] = []
    for n, item in enumerate(given):
        name = clean(item.name)
        if item.body_id is None and name is None:
            continue  # an empty row of the form
        body = None
        if item.body_id is not None:
            body = allowed.get(item.body_id)
            if body is None:
                raise InputError(
                    f"governance body {item.body_id} is not one of this plan's area or system",
                    field=f"accountable[{n}].body_id",
                )
        name = name or (body.name if body else None)
        assert name is not None
        PLEDGE["partnership"].check(name, field=f"accountable[{n}].name")
        out.append({"name": name, "body_id": body.id if body else None, "position": len(out)})
    PLEDGE.items("accountable").check([r["name"] for r in out], field="accountable[0].name")
    if not out:
        raise InputError(
            "Give at least one accountable partnership: pick a governance body or type its name",
            field="accountable[0].body_id",
        )
    return out


def _accountable_text(rows: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(
        f"{r['name']} (governance body {r['body_id']})" if r["body_id"] else str(r["name"])
        for r in rows
    )


def _as_rows(rows: Sequence[PledgePartnership]) -> list[dict[str, Any]]:
    return [{"name": r.name, "body_id": r.body_id} for r in rows]


def _replace_partnerships(
    session: Session,
    actor: Actor,
    pledge: Pledge,
    old: Sequence[PledgePartnership],
    new: Sequence[Mapping[str, Any]],
) -> None:
    """Rows kept in place where they can be (keeping their history), added or removed at the end."""
    for row, wanted in zip(old, new, strict=False):
        update_recorded(session, actor, "pledge_partnership", row, dict(wanted))
    for wanted in new[len(old) :]:
        add_recorded(
            session,
            actor,
            "pledge_partnership",
            PledgePartnership(plan_id=pledge.plan_id, pledge_id=pledge.id, **wanted),
        )
    for row in old[len(new) :]:
        audit.record(
            session, actor, "delete", "pledge_partnership", row.id, audit.state_of(row), None
        )
        session.delete(row)
    session.flush()
    session.expire(pledge, ["partnerships"])


def add_pledge(
    session: Session,
    actor: Actor,
    plan_id: int,
    values: Mapping[str, Any],
    partnerships: Sequence[PartnershipIn],
) -> Pledge:
    """A new pledge at the end of the plan's list, numbered after the last."""
    plan = editable_plan(session, actor, plan_id)
    if plan.kind not in PLEDGE_KINDS:
        raise InputError(
            f"plan {plan_id} is a {plan.kind}: pledges belong to five-year or delivery plans",
            field="plan",
        )
    cleaned = pledge_values(values)
    rows = _partnerships(session, plan, partnerships, [])
    number = (
        session.scalar(select(func.max(Pledge.number)).where(Pledge.plan_id == plan_id)) or 0
    ) + 1
    position = (
        session.scalar(select(func.max(Pledge.position)).where(Pledge.plan_id == plan_id)) or 0
    ) + 1
    if session.scalar(
        select(Pledge.id).where(Pledge.plan_id == plan_id, Pledge.ref == str(number))
    ):
        raise InputError(f"plan {plan_id} already has a pledge {number}", field="title")
    pledge = Pledge(plan_id=plan_id, ref=str(number), number=number, position=position, **cleaned)
    session.add(pledge)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "pledge",
        pledge.id,
        None,
        {**audit.state_of(pledge), "accountable": _accountable_text(rows)},
    )
    for wanted in rows:
        add_recorded(
            session,
            actor,
            "pledge_partnership",
            PledgePartnership(plan_id=plan_id, pledge_id=pledge.id, **wanted),
        )
    return pledge


def _check_pledge_version(
    session: Session, pledge: Pledge, expected: int | None, accountable: str
) -> None:
    if expected is None or expected == pledge.version:
        return
    started = audit.state_at_version(session, "pledge", pledge.id, expected)
    now = {**audit.state_of(pledge), "accountable": accountable}
    # Pledges loaded from a document were recorded without "accountable": compare the rest.
    fields = PLEDGE_FIELDS if started and "accountable" in started else PLEDGE_FIELDS[:-1]
    raise Conflict(
        f"this pledge was changed by someone else since you opened it (you started from version"
        f" {expected}; it is now at version {pledge.version})",
        current_version=pledge.version,
        changes=audit.changed_fields(started, now, fields),
    )


def update_pledge(
    session: Session,
    actor: Actor,
    plan_id: int,
    ref: str,
    expected_version: int | None,
    values: Mapping[str, Any],
    partnerships: Sequence[PartnershipIn],
) -> Pledge:
    plan = editable_plan(session, actor, plan_id)
    pledge = find_pledge(session, plan_id, ref)
    old = current_partnerships(session, pledge)
    before_rows = _as_rows(old)
    _check_pledge_version(session, pledge, expected_version, _accountable_text(before_rows))
    cleaned = pledge_values(values)
    rows = _partnerships(session, plan, partnerships, [r.body_id for r in old if r.body_id])
    after_rows = [{"name": r["name"], "body_id": r["body_id"]} for r in rows]
    before = {**audit.state_of(pledge), "accountable": _accountable_text(before_rows)}
    for name, value in cleaned.items():
        setattr(pledge, name, value)
    accountable_moved = before_rows != after_rows
    if not session.is_modified(pledge) and not accountable_moved:
        return pledge
    if accountable_moved:
        if not session.is_modified(pledge):
            # Rewrite the row so its version moves: a stale form then cannot undo this change.
            flag_modified(pledge, "title")
        _replace_partnerships(session, actor, pledge, old, rows)
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "pledge",
        pledge.id,
        before,
        {**audit.state_of(pledge), "accountable": _accountable_text(after_rows)},
    )
    return pledge


def measure_values(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """A measure's definition from what was typed (text, as a form sends it, or JSON values)."""
    name = required(values, "name", "measure's name")
    unit = clean(values.get("unit"))
    direction_given = clean(values.get("direction"))
    direction = rules.check_direction(direction_given, "direction") if direction_given else None
    figures: dict[str, Any] = {}
    for which in ("baseline", "target"):
        value = parse_number(values.get(f"{which}_value"), f"{which}_value")
        period = period_label(values.get(f"{which}_period"), f"{which}_period")
        if period is not None and value is None:
            raise InputError(f"Enter the {which} value for {period}", field=f"{which}_value")
        figures[f"{which}_value"], figures[f"{which}_period"] = value, period
    limits = measure_limits(unit)
    limits.check({**figures, "name": name, "unit": unit, "source": values.get("source")})
    has_figures = any(v is not None for v in figures.values())
    if direction is None and has_figures:
        raise InputError(
            "Choose whether higher or lower is better: a baseline or target needs it",
            field="direction",
        )
    if direction is not None:
        rules.check_figures(
            direction,
            figures["baseline_value"],
            figures["baseline_period"],
            figures["target_value"],
            figures["target_period"],
        )
    metric = clean(values.get("metric_key"))
    if metric is not None and session.scalar(select(Metric.id).where(Metric.key == metric)) is None:
        raise InputError(f"no metric {metric} in the metric catalogue", field="metric_key")
    illustrative = values.get("illustrative")
    return {
        "name": name,
        "unit": limited(unit, "unit", "unit") if unit else None,
        "direction": direction,
        **figures,
        "metric_key": metric,
        "source": paragraphs(values.get("source")),
        "illustrative": illustrative is True or str(illustrative).lower() in ("yes", "true", "on"),
    }


def _check_latest_still_fits(measure: PledgeMeasure, cleaned: Mapping[str, Any]) -> None:
    if measure.latest_value is None or measure.latest_period is None:
        return
    if cleaned["direction"] is None:
        raise InputError(
            f"Choose whether higher or lower is better: measure {measure.ref} has a latest value"
            f" ({measure.latest_period}) to judge",
            field="direction",
        )
    baseline = cleaned["baseline_period"]
    if baseline and parse_span(measure.latest_period).end < parse_span(baseline).end:
        raise InputError(
            f"the baseline period {baseline} ends after the latest value's period"
            f" {measure.latest_period}",
            field="baseline_period",
        )


def _next_measure_ref(session: Session, pledge: Pledge) -> str:
    refs = session.scalars(select(PledgeMeasure.ref).where(PledgeMeasure.pledge_id == pledge.id))
    used = [
        int(r.rsplit(".", 1)[1])
        for r in refs
        if r.startswith(f"{pledge.ref}.") and r.rsplit(".", 1)[1].isdigit()
    ]
    return f"{pledge.ref}.{max(used, default=0) + 1}"


def add_measure(
    session: Session, actor: Actor, plan_id: int, pledge_ref: str, values: Mapping[str, Any]
) -> PledgeMeasure:
    """A new measure at the end of the pledge's list, numbered after its last (5.1, 5.2, ...)."""
    editable_plan(session, actor, plan_id)
    pledge = find_pledge(session, plan_id, pledge_ref)
    cleaned = measure_values(session, values)
    position = (
        session.scalar(
            select(func.max(PledgeMeasure.position)).where(PledgeMeasure.pledge_id == pledge.id)
        )
        or 0
    ) + 1
    return add_recorded(
        session,
        actor,
        "pledge_measure",
        PledgeMeasure(
            plan_id=plan_id,
            pledge_id=pledge.id,
            ref=_next_measure_ref(session, pledge),
            position=position,
            **cleaned,
        ),
    )


def update_measure(
    session: Session,
    actor: Actor,
    plan_id: int,
    pledge_ref: str,
    measure_ref: str,
    expected_version: int | None,
    values: Mapping[str, Any],
) -> PledgeMeasure:
    editable_plan(session, actor, plan_id)
    measure = find_measure(session, actor, plan_id, pledge_ref, measure_ref)
    check_version(
        session, measure, "pledge_measure", expected_version, MEASURE_FIELDS + LATEST_FIELDS
    )
    cleaned = measure_values(session, values)
    _check_latest_still_fits(measure, cleaned)
    return update_recorded(session, actor, "pledge_measure", measure, cleaned)  # type: ignore[no-any-return]


def remove_measure(
    session: Session,
    actor: Actor,
    plan_id: int,
    pledge_ref: str,
    measure_ref: str,
    expected_version: int | None,
) -> None:
    """Remove a measure, recording what it was; refused for a pledge's only measure."""
    editable_plan(session, actor, plan_id)
    measure = find_measure(session, actor, plan_id, pledge_ref, measure_ref)
    check_version(
        session, measure, "pledge_measure", expected_version, MEASURE_FIELDS + LATEST_FIELDS
    )
    count = session.scalar(
        select(func.count())
        .select_from(PledgeMeasure)
        .where(PledgeMeasure.pledge_id == measure.pledge_id)
    )
    if count == 1:
        raise InputError(
            f"measure {measure.ref} is pledge {pledge_ref}'s only measure: add the measure that"
            " replaces it first, so the pledge keeps something to be judged by",
            field="measure",
        )
    audit.record(
        session, actor, "delete", "pledge_measure", measure.id, audit.state_of(measure), None
    )
    session.delete(measure)
    session.flush()
