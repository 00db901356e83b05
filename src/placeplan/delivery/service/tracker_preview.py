"""An uploaded tracker workbook previewed, then confirmed.

`hold_tracker` reads and checks the workbook against the plan, writing nothing to the tracker: it
answers the differences (actions, the period's updates and milestones added and changed, in the
tracker's words) and the checks, and holds the file (`store.uploads`) with the plan's delivery
revision token. `confirm_tracker` writes exactly those differences, unless the tracker changed
since the preview: then it is refused (`StalePreview`, a Conflict) with the new differences, and
nothing is written."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.differences import Differences, Record, Section, compare, differences
from placeplan.core.errors import Conflict, InputError
from placeplan.delivery.domain.differences import (
    ACTION_LABELS,
    MILESTONE_LABELS,
    UPDATE_LABELS,
    Names,
    action_name,
    milestone_name,
    record,
)
from placeplan.delivery.domain.fields import UPDATE_FIELDS
from placeplan.delivery.io.read import ParsedTracker, read_tracker
from placeplan.delivery.models import delivery_revisions
from placeplan.delivery.service.access import editable_plan
from placeplan.delivery.service.structure import framework
from placeplan.delivery.service.tracker_check import Checked, changed_reports
from placeplan.delivery.service.tracker_import import check_parsed, target_plan, write_checked
from placeplan.governance.models import Body
from placeplan.io.grid import Problem
from placeplan.people.models import User
from placeplan.store import audit, uploads

KIND = "delivery_tracker"


@dataclass
class TrackerPreview:
    """What a tracker workbook changes: the differences, the checks (rows that keep the app's
    change), the revision of the tracker they were worked out against (`base`) and the token of
    the held file (None when nothing would change, or for a dry run)."""

    plan_id: int
    file: str
    period: str
    differences: Differences
    checks: list[str]
    base: str
    token: str | None = None

    def summary(self) -> str:
        return self.differences.summary()

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "file": self.file,
            "period": self.period,
            "token": self.token,
            "base": self.base,
            "checks": [{"severity": "warning", "message": c} for c in self.checks],
            **self.differences.as_json(),
        }


@dataclass
class WorkbookProblems(InputError):
    """A workbook refused for its cells: the first problem, and `problems` lists every one."""

    problems: list[Problem] = field(default_factory=list)


@dataclass
class StalePreview(Conflict):
    """The tracker changed since the preview: nothing was written; `preview` is the new one."""

    preview: TrackerPreview | None = None


def revision(session: Session, plan_id: int) -> str:
    """The plan's delivery revision token: any change to its tracker renews it."""
    return delivery_revisions.token(session, plan_id) or ""


def preview_parsed(
    session: Session, actor: Actor, parsed: ParsedTracker, plan_id: int | None = None
) -> tuple[Checked, TrackerPreview]:
    """Check a read workbook against its plan, writing nothing; the check and its preview."""
    if parsed.problems:
        first = parsed.error()
        raise WorkbookProblems(
            first.message, first.field, first.file, first.sheet, first.row, list(parsed.problems)
        )
    target = target_plan(parsed, plan_id)
    base = revision(session, target)
    checked = check_parsed(session, actor, parsed, target)
    preview = TrackerPreview(
        target,
        parsed.file,
        checked.known.when.label,
        tracker_differences(session, checked),
        [_kept(where) for where in checked.planned.kept],
        base,
    )
    return checked, preview


def _kept(where: str) -> str:
    return (
        f"{where[:1].upper()}{where[1:]} was changed in placeplan since the workbook was"
        " exported, and the workbook leaves it as exported: placeplan's values are kept"
    )


def hold_tracker(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> TrackerPreview:
    """Preview an uploaded workbook for the plan's editor, and hold it until they confirm (only
    when it changes something). Nothing of the tracker is written."""
    editable_plan(session, actor, plan_id)
    filename = filename[:300]  # as much of the name as is kept
    parsed = read_tracker(io.BytesIO(content), filename)
    _, preview = preview_parsed(session, actor, parsed, plan_id)
    if not preview.differences.empty:
        held = uploads.hold(session, actor, KIND, str(plan_id), filename, content, preview.base)
        preview.token = held.token
    return preview


def confirm_tracker(
    session: Session, actor: Actor, plan_id: int, token: str, base: str | None = None
) -> TrackerPreview:
    """Write the held workbook's differences and forget the file. `base` is the revision the
    person last saw differences against (that of the hold when not given): if the tracker has
    changed since, StalePreview carries the differences against it now, and nothing is written.
    NotFound if the upload is not held for this person and plan (a preview is its maker's)."""
    plan = editable_plan(session, actor, plan_id)
    upload = uploads.held(session, actor, token, KIND, str(plan_id))  # NotFound unless theirs
    parsed = read_tracker(io.BytesIO(upload.content), upload.filename)
    checked, preview = preview_parsed(session, actor, parsed, plan_id)
    preview.token = upload.token
    if preview.base != (base or upload.base):
        raise StalePreview(
            "the tracker changed since your preview, so nothing was saved: check the"
            " differences as they are now and confirm again",
            current_version=0,
            preview=preview,
        )
    if not preview.differences.empty:
        # What the person did leads the audit history's entry; the changes it made follow it.
        audit.record(
            session,
            actor,
            "upload_tracker",
            "delivery_tracker",
            plan.id,
            None,
            {
                "plan_id": plan.id,
                "title": plan.title,
                "file": upload.filename,
                "period": preview.period,
                "changes": preview.summary(),
            },
        )
    write_checked(session, actor, checked, upload.filename)
    uploads.release(session, upload)
    preview.token = None
    return preview


# ---- the differences, in the tracker's words


def tracker_differences(session: Session, checked: Checked) -> Differences:
    """What a checked workbook writes: actions, the period's updates and milestones."""
    names = _names(session, checked)
    return differences(
        [
            _actions(checked, names),
            _updates(checked, names),
            _milestones(checked, names),
        ]
    )


def _names(session: Session, checked: Checked) -> Names:
    found = framework(session, checked.plan_id)
    return Names(
        bodies={i: n for i, n in session.execute(select(Body.id, Body.name))},
        users={i: n for i, n in session.execute(select(User.id, User.display_name))},
        principles={
            str(p.get("ref")): str(p.get("name") or p.get("ref"))
            for p in (found.principles if found else [])
        },
    )


def _actions(checked: Checked, names: Names) -> Section:
    before: dict[str, Record] = {}
    after: dict[str, Record] = {}
    for _given, action, values in checked.planned.edits:
        stored = {k: getattr(action, k) for k in ACTION_LABELS}
        name = action_name(action.ref, action.we_will)
        before[action.ref] = record(name, ACTION_LABELS, stored, names)
        after[action.ref] = record(name, ACTION_LABELS, {**stored, **values}, names)
    for given, _priority, values in checked.planned.creations:
        new = {"stage": "not_started", **values}
        name = action_name(given.ref, new.get("we_will"))
        after[given.ref] = record(name, ACTION_LABELS, new, names)
    return compare("Actions", "action", before, after)


def _we_will(checked: Checked, ref: str) -> str | None:
    stored = checked.known.stored.get(ref)
    if stored is not None:
        return stored.we_will
    return next((v.get("we_will") for g, _, v in checked.planned.creations if g.ref == ref), None)


def _updates(checked: Checked, names: Names) -> Section:
    before: dict[str, Record] = {}
    after: dict[str, Record] = {}
    for given, report, stored, _fields in changed_reports(checked):
        name = action_name(given.ref, _we_will(checked, given.ref))
        if stored is not None:
            now = {k: getattr(stored, k) for k in UPDATE_FIELDS}
            before[given.ref] = record(name, UPDATE_LABELS, now, names)
        after[given.ref] = record(name, UPDATE_LABELS, report, names)
    return compare(f"Updates for {checked.known.when.label}", "update", before, after)


def _milestones(checked: Checked, names: Names) -> Section:
    before: dict[str, Record] = {}
    after: dict[str, Record] = {}
    for given_m, existing, values in checked.planned.milestone_edits:
        key = f"{given_m.action_ref}/{existing.ref}"
        stored = {k: getattr(existing, k) for k in MILESTONE_LABELS}
        name = milestone_name(given_m.action_ref, existing.ref, existing.by_text)
        before[key] = record(name, MILESTONE_LABELS, stored, names)
        after[key] = record(name, MILESTONE_LABELS, {**stored, **values}, names)
    for given_m, ref, values in checked.planned.milestone_adds:
        name = milestone_name(given_m.action_ref, ref, values.get("by_text"))
        after[f"{given_m.action_ref}/{ref}"] = record(name, MILESTONE_LABELS, values, names)
    return compare("Milestones", "milestone", before, after)
