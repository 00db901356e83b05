"""Writing a checked tracker workbook (`tracker_check.Checked`): only the changed rows, each
through the audited function that owns it, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.delivery.domain.updates import UpdateIn
from placeplan.delivery.service.milestones import add_milestone, update_milestone
from placeplan.delivery.service.structure import add_action, update_action
from placeplan.delivery.service.tracker_check import Checked, at_row, changed_reports
from placeplan.delivery.service.updates import record_updates


def write_tracker(session: Session, actor: Actor, checked: Checked) -> dict[str, Any]:
    """Write what `checked` asks for (update_action, add_action, record_updates, add_milestone,
    update_milestone, each audited); an unchanged workbook writes nothing. The summary."""
    ids = _write_actions(session, actor, checked)
    _write_updates(session, actor, checked, ids)
    _write_milestones(session, actor, checked, ids)
    return checked.planned.summary


def _write_actions(session: Session, actor: Actor, checked: Checked) -> dict[str, int]:
    """Write the action edits and creations; the id of every action by ref."""
    plan = checked.planned
    ids = {ref: a.id for ref, a in checked.known.stored.items()}
    for given, action, values in plan.edits:
        try:
            update_action(session, actor, action.id, given.version, values)
        except InputError as exc:
            raise at_row(exc, given.sheet, given.row) from None
        plan.summary["actions_changed"] += 1
        plan.note(given.sheet, given.row, "action changed", action.ref, sorted(values))
    for given, priority, values in plan.creations:
        try:
            created = add_action(session, actor, priority.id, given.ref, values)
        except InputError as exc:
            raise at_row(exc, given.sheet, given.row) from None
        ids[given.ref] = created.id
        plan.summary["actions_created"] += 1
        plan.note(given.sheet, given.row, "action created", given.ref, sorted(values))
    return ids


def _write_updates(session: Session, actor: Actor, checked: Checked, ids: dict[str, int]) -> None:
    """Write the period's changed reports at once, through record_updates."""
    plan, label = checked.planned, checked.known.when.label
    written = [
        (given, UpdateIn(ids[given.ref], stored.version if stored else 0, **report), fields)
        for given, report, stored, fields in changed_reports(checked)
    ]
    try:
        record_updates(session, actor, checked.plan_id, label, [u for _, u, _ in written])
    except InputError as exc:
        row_of = {
            f"{k}-{u.action_id}": g
            for g, u, _ in written
            for k in ("overall", "risk", "trajectory")
        }
        if (given_row := row_of.get(exc.field or "")) is not None:
            exc.field = exc.field.split("-")[0] + "_rag" if exc.field else exc.field
            raise at_row(exc, given_row.sheet, given_row.row) from None
        raise
    for given, _update_in, fields in written:
        plan.summary["updates_written"] += 1
        plan.note(given.sheet, given.row, f"{label} update", given.ref, sorted(fields))


def _write_milestones(
    session: Session, actor: Actor, checked: Checked, ids: dict[str, int]
) -> None:
    plan = checked.planned
    for given_m, existing, values in plan.milestone_edits:
        try:
            update_milestone(session, actor, existing.id, given_m.version, values)
        except InputError as exc:
            raise at_row(exc, given_m.sheet, given_m.row) from None
        plan.summary["milestones_changed"] += 1
        plan.note(
            given_m.sheet,
            given_m.row,
            "milestone changed",
            f"{given_m.action_ref}/{existing.ref}",
            sorted(values),
        )
    for given_m, ref, values in plan.milestone_adds:
        try:
            added = add_milestone(
                session,
                actor,
                ids[given_m.action_ref],
                ref,
                str(values.get("by_text") or ""),
                values.get("due_date"),
                values.get("done_date"),
            )
        except InputError as exc:
            raise at_row(exc, given_m.sheet, given_m.row) from None
        plan.summary["milestones_created"] += 1
        plan.note(
            given_m.sheet,
            given_m.row,
            "milestone created",
            f"{given_m.action_ref}/{added.ref}",
            sorted(values),
        )
