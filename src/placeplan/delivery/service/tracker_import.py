"""Importing a tracker workbook at once: read the file (delivery.io.read), check its rows against
the plan and write the changed ones. Pages and the API preview first (`tracker_preview`)."""

from __future__ import annotations

import os
from typing import IO, Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.delivery.io.layout import PLAN_ID_LABEL, READ_ME
from placeplan.delivery.io.read import ParsedTracker, header_names, read_tracker
from placeplan.delivery.service.tracker_check import Checked, check_tracker
from placeplan.delivery.service.tracker_write import write_tracker


def target_plan(parsed: ParsedTracker, plan_id: int | None = None) -> int:
    """The plan a read tracker is for: `plan_id` when given, which must be the workbook's own."""
    if parsed.problems:
        raise parsed.error()
    if plan_id is not None and parsed.plan_id is not None and plan_id != parsed.plan_id:
        raise InputError(
            f"{PLAN_ID_LABEL}: expected {plan_id}, the plan being imported into; the workbook is "
            f"plan {parsed.plan_id}'s tracker",
            field=PLAN_ID_LABEL,
            file=parsed.file,
            sheet=READ_ME,
        )
    target = plan_id if plan_id is not None else parsed.plan_id
    assert target is not None  # no problems: it was read
    return target


def check_parsed(
    session: Session, actor: Actor, parsed: ParsedTracker, plan_id: int | None = None
) -> Checked:
    """Check a read tracker against its plan, writing nothing; problems name the workbook's
    columns."""
    target = target_plan(parsed, plan_id)
    assert parsed.period is not None  # no problems: it was read
    try:
        return check_tracker(
            session, actor, target, parsed.period, parsed.actions, parsed.milestones
        )
    except InputError as exc:
        exc.file = exc.file or parsed.file
        raise header_names(exc) from None


def write_checked(session: Session, actor: Actor, checked: Checked, file: str) -> dict[str, Any]:
    """Write a checked tracker in the caller's transaction; its summary."""
    try:
        summary = write_tracker(session, actor, checked)
    except InputError as exc:
        exc.file = exc.file or file
        raise header_names(exc) from None
    return {"plan_id": checked.plan_id, "file": file, **summary}


def import_parsed(
    session: Session, actor: Actor, parsed: ParsedTracker, plan_id: int | None = None
) -> dict[str, Any]:
    """Apply a read tracker to its plan in the caller's transaction; the caller commits.
    InputError or Conflict on the first problem: nothing is written."""
    checked = check_parsed(session, actor, parsed, plan_id)
    return write_checked(session, actor, checked, parsed.file)


def import_tracker(
    session: Session,
    actor: Actor,
    source: str | os.PathLike[str] | IO[bytes],
    plan_id: int | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    return import_parsed(session, actor, read_tracker(source, label), plan_id)
