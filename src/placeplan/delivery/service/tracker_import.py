"""Importing a tracker workbook: read the file (io.delivery.read), apply its rows to the plan."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError
from placeplan.delivery.io.layout import PLAN_ID_LABEL, READ_ME
from placeplan.delivery.io.read import ParsedTracker, header_names, read_tracker
from placeplan.delivery.service.tracker_apply import apply_tracker
from placeplan.store.uow import commit


def import_parsed(
    session: Session, actor: Actor, parsed: ParsedTracker, plan_id: int | None = None
) -> dict[str, Any]:
    """Apply a read tracker to its plan in the caller's transaction; the caller commits (or, for
    a dry run, rolls back). InputError or Conflict on the first problem: nothing is written."""
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
    assert target is not None and parsed.period is not None  # no problems: both were read
    try:
        summary = apply_tracker(
            session, actor, target, parsed.period, parsed.actions, parsed.milestones
        )
    except InputError as exc:
        exc.file = exc.file or parsed.file
        raise header_names(exc) from None
    return {"plan_id": target, "file": parsed.file, **summary}


def import_tracker(
    session: Session,
    actor: Actor,
    source: str | os.PathLike[str] | IO[bytes],
    plan_id: int | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    return import_parsed(session, actor, read_tracker(source, label), plan_id)


@dataclass
class Upload:
    """What became of an uploaded workbook: its summary, or the problems found, or a conflict."""

    summary: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    conflict: Conflict | None = None


def import_upload(
    session: Session,
    actor: Actor,
    source: str | os.PathLike[str] | IO[bytes],
    filename: str,
    plan_id: int,
    dry_run: bool,
) -> Upload:
    """Import an uploaded workbook as one unit of work: committed when every row is good (rolled
    back for a dry run, which only reports what would change); rolled back, with the problems or
    the conflict said, when not."""
    try:
        parsed = read_tracker(source, label=filename)
        if parsed.problems:
            return Upload(problems=[vars(p) for p in parsed.problems])
        summary = import_parsed(session, actor, parsed, plan_id)
        if dry_run:
            session.rollback()
        else:
            commit(session)
        return Upload(summary=summary)
    except InputError as exc:
        session.rollback()
        return Upload(
            problems=[
                {
                    "sheet": exc.sheet,
                    "row": exc.row,
                    "column": exc.field,
                    "message": exc.message,
                    # A problem with the file itself is put right by choosing another file.
                    "href": None if exc.sheet else "tracker",
                }
            ]
        )
    except Conflict as exc:
        session.rollback()
        return Upload(conflict=exc)
