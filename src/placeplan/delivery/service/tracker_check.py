"""Checking a tracker workbook's rows against its plan, writing nothing: what each row would
change (`Checked`), for a preview to show and for `tracker_write` to write once confirmed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError
from placeplan.core.fields import Window, plan_window
from placeplan.core.periods import QuarterOrMonth, parse_quarter_or_month
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.fields import (
    UPDATE_FIELDS,
    Chosen,
    check_milestone_dates,
    check_reporting_period,
)
from placeplan.delivery.domain.tracker import (
    TrackerActionIn,
    TrackerMilestoneIn,
    moved,
    same,
    same_text,
)
from placeplan.delivery.domain.updates import text_or_none
from placeplan.delivery.models import (
    DeliveryAction,
    DeliveryMilestone,
    DeliveryPriority,
    DeliveryUpdate,
)
from placeplan.delivery.service.access import internal_plan
from placeplan.delivery.service.structure import action_values, framework, user_id_for
from placeplan.governance.models import Body
from placeplan.store.audit import state_at_version


def _stale(
    session: Session,
    kind: str,
    entity_id: int,
    version: int,
    wanted: Mapping[str, Any],
    where: str,
    current_version: int,
    current: Mapping[str, Any],
) -> None:
    """A row exported at an older version: left alone if it is just as exported (only the app
    changed the record since), refused as a conflict if the workbook changed it too."""

    exported = state_at_version(session, kind, entity_id, version) if version else None
    if version == 0 or exported is not None:
        base = exported or {}
        if not moved(base, wanted):
            return
        changes = {
            k: (base.get(k), same(current.get(k)))
            for k in wanted
            if same(base.get(k)) != same(current.get(k))
        }
    else:
        changes = {}
    raise Conflict(
        f"{where} was changed in the app since the workbook was exported (exported at version "
        f"{version}, now at version {current_version}) and the workbook changes it too: "
        "export the tracker again and make your changes there",
        current_version=current_version,
        changes=changes,
    )


def at_row(exc: InputError, sheet: str, row: int) -> InputError:
    exc.sheet = exc.sheet or sheet
    exc.row = exc.row or row
    return exc


def _update_values(given: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in UPDATE_FIELDS:
        value = given.get(name)
        if name.endswith("_rag"):
            out[name] = rules.check_rag(value, name)
        else:
            out[name] = text_or_none(value)
    return out


@dataclass
class Known:
    """What the rows are checked against: the plan's records for the period, by ref."""

    when: QuarterOrMonth
    stored: dict[str, DeliveryAction]
    priorities: dict[str, DeliveryPriority]
    updates: dict[int, DeliveryUpdate]
    principles: tuple[str, ...]
    groups: tuple[str, ...]
    by_key: dict[str, int]
    by_name: dict[str, list[int]]
    window: Window | None = None  # the plan's period, which an action's dates fall within

    def body_id(self, text: str | None) -> int | None:
        if text is None or not text.strip():
            return None
        wanted = " ".join(text.split()).casefold()
        if wanted in self.by_key:
            return self.by_key[wanted]
        ids = self.by_name.get(wanted, [])
        if len(ids) == 1:
            return ids[0]
        raise InputError(
            f"expected the name or key of a governance body; found {text!r}"
            + (", the name of more than one body: give its key" if ids else ""),
            field="body_id",
        )


@dataclass
class Planned:
    """The writes a checked workbook asks for (each new milestone with the ref it will get), the
    rows left as the app changed them, and the summary being built."""

    edits: list[tuple[TrackerActionIn, DeliveryAction, dict[str, Any]]] = field(
        default_factory=list
    )
    creations: list[tuple[TrackerActionIn, DeliveryPriority, dict[str, Any]]] = field(
        default_factory=list
    )
    report_rows: list[tuple[TrackerActionIn, dict[str, Any]]] = field(default_factory=list)
    milestone_edits: list[tuple[TrackerMilestoneIn, DeliveryMilestone, dict[str, Any]]] = field(
        default_factory=list
    )
    milestone_adds: list[tuple[TrackerMilestoneIn, str, dict[str, Any]]] = field(
        default_factory=list
    )
    kept: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def keep(self, where: str) -> None:
        """A row whose record the app changed since the export, left as exported: not written."""
        self.kept.append(where)
        self.summary["left_as_changed_in_the_app"] += 1

    def note(self, sheet: str, row: int, what: str, ref: str, fields: list[str]) -> None:
        self.summary["changes"].append(
            {"sheet": sheet, "row": row, "what": what, "ref": ref, "fields": fields}
        )


@dataclass
class Checked:
    """A checked workbook: what it was checked against and the writes it asks for."""

    plan_id: int
    known: Known
    planned: Planned


def check_tracker(
    session: Session,
    actor: Actor,
    plan_id: int,
    period: str,
    actions: list[TrackerActionIn],
    milestones: list[TrackerMilestoneIn],
) -> Checked:
    """Check every row of a tracker workbook against the plan, writing nothing.

    A bad row is refused (InputError naming the row and the field), as is a row whose record was
    changed in the app since the export when the workbook changes it too (a Conflict naming the
    row); a row the workbook left as exported keeps the app's change. The values each write will
    be given are checked as the writing functions check them, so what passes here is written."""
    record = internal_plan(session, actor, plan_id)
    known = _known(session, plan_id, parse_quarter_or_month(period))
    known.window = plan_window(record.period_start, record.period_end)
    check_reporting_period(known.window, known.when)
    plan = Planned(
        summary={
            "period": known.when.label,
            "actions_created": 0,
            "actions_changed": 0,
            "updates_written": 0,
            "milestones_created": 0,
            "milestones_changed": 0,
            "left_as_changed_in_the_app": 0,
            "changes": [],
        }
    )
    for given in actions:
        try:
            action = _check_action(session, known, plan, given)
            if given.update is not None:
                _check_update(session, known, plan, given, action)
        except InputError as exc:
            raise at_row(exc, given.sheet, given.row) from None
    new_refs = {g.ref for g, _, _ in plan.creations}
    for given_m in milestones:
        try:
            _check_milestone(session, known, plan, given_m, new_refs)
        except InputError as exc:
            raise at_row(exc, given_m.sheet, given_m.row) from None
    return Checked(plan_id, known, plan)


def _known(session: Session, plan_id: int, when: QuarterOrMonth) -> Known:
    stored = {
        a.ref: a
        for a in session.scalars(
            select(DeliveryAction)
            .where(DeliveryAction.plan_id == plan_id)
            .options(selectinload(DeliveryAction.priority), selectinload(DeliveryAction.milestones))
        )
    }
    priorities = {
        p.ref: p
        for p in session.scalars(
            select(DeliveryPriority).where(DeliveryPriority.plan_id == plan_id)
        )
    }
    updates = {
        u.action_id: u
        for u in session.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.plan_id == plan_id, DeliveryUpdate.period == when.label
            )
        )
    }
    found = framework(session, plan_id)
    bodies = list(session.scalars(select(Body)))
    by_name: dict[str, list[int]] = {}
    for b in bodies:
        by_name.setdefault(" ".join(b.name.split()).casefold(), []).append(b.id)
    return Known(
        when=when,
        stored=stored,
        priorities=priorities,
        updates=updates,
        principles=tuple(str(p.get("ref")) for p in (found.principles if found else [])),
        groups=tuple(str(g.get("name")) for g in (found.plus_groups if found else [])),
        by_key={b.key.casefold(): b.id for b in bodies},
        by_name=by_name,
    )


def _wanted_values(
    session: Session, known: Known, given: TrackerActionIn, action: DeliveryAction | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The row's values as the service takes them, and the action's current values of those."""
    wanted = dict(given.values)
    if "body" in wanted:
        wanted["body_id"] = known.body_id(wanted.pop("body"))
    if "lead_user" in wanted:
        wanted["lead_user_id"] = user_id_for(session, wanted.pop("lead_user"))
    if "stage" in wanted:
        wanted["stage"] = rules.check_stage(str(wanted["stage"] or "not_started"))
    current = {k: getattr(action, k) for k in wanted} if action else {}
    held = {k: current.get(k) or [] for k in ("principles", "plus_groups")}
    Chosen(known.principles, known.groups, held).check(wanted)  # as the page and the API do
    return wanted, current


def _check_action(
    session: Session, known: Known, plan: Planned, given: TrackerActionIn
) -> DeliveryAction | None:
    """Check one Actions row; plan its creation or its edit. The stored action, if any."""
    action = known.stored.get(given.ref)
    wanted, current = _wanted_values(session, known, given, action)
    if action is None:
        if given.version is not None:
            raise InputError(
                f"the plan has no action {given.ref}, yet this row was exported (its"
                " version is filled in): an action's ref cannot be changed by import;"
                " for a new action leave the version blank",
                field="ref",
            )
        priority = known.priorities.get(given.priority_ref or "")
        if priority is None:
            raise InputError(
                "expected the ref of one of the plan's priorities for a new action; found "
                + repr(given.priority_ref or "an empty cell"),
                field="priority_ref",
            )
        if not same(wanted.get("we_will")):
            raise InputError("a new action needs its 'We will' statement", field="we_will")
        values = {k: same_text(v) for k, v in wanted.items()}
        action_values(session, {"stage": "not_started", **values}, known.window)  # as add_action
        plan.creations.append((given, priority, values))
        return None
    if given.priority_ref is not None and given.priority_ref != action.priority.ref:
        raise InputError(
            f"expected {action.priority.ref}, the priority of action {action.ref}; "
            f"found {given.priority_ref!r} (move an action between priorities in the app)",
            field="priority_ref",
        )
    if given.version is None:
        raise InputError(
            f"expected the version exported with action {action.ref}; found an empty cell",
            field="version",
        )
    changed = moved(current, wanted)
    if changed:
        where = f"action {action.ref} (sheet {given.sheet}, row {given.row})"
        if given.version != action.version:
            _stale(
                session,
                "delivery_action",
                action.id,
                given.version,
                wanted,
                where,
                action.version,
                current,
            )
            plan.keep(where)
        else:
            values = {k: same_text(wanted[k]) for k in changed}
            action_values(session, values, known.window)  # as update_action will check them
            plan.edits.append((given, action, values))
    return action


def _check_update(
    session: Session,
    known: Known,
    plan: Planned,
    given: TrackerActionIn,
    action: DeliveryAction | None,
) -> None:
    """Check one row's report for the period; plan writing it if it changed."""
    assert given.update is not None
    when = known.when
    report = _update_values(given.update)
    plan.report_rows.append((given, report))
    stored_update = known.updates.get(action.id) if action else None
    now = {k: getattr(stored_update, k) for k in UPDATE_FIELDS} if stored_update else {}
    if not moved(now, report):
        return
    if report["overall_rag"] is None:
        raise InputError(
            f"give action {given.ref} an overall RAG rating for {when.label}"
            + ("" if any(report.values()) else ": a period's update cannot be removed by import"),
            field="overall_rag",
        )
    exported_at = given.update_version or 0
    current_at = stored_update.version if stored_update else 0
    if exported_at != current_at:
        where = (
            f"the {when.label} update of action {given.ref} (sheet {given.sheet}, row {given.row})"
        )
        if stored_update is None:
            raise Conflict(
                f"{where} was removed since the workbook was exported",
                current_version=0,
            )
        _stale(
            session,
            "delivery_update",
            stored_update.id,
            exported_at,
            report,
            where,
            current_at,
            now,
        )
        plan.keep(where)
        plan.report_rows.pop()


def _check_milestone(
    session: Session, known: Known, plan: Planned, given_m: TrackerMilestoneIn, new_refs: set[str]
) -> None:
    """Check one Milestones row; plan its creation or its edit."""
    action = known.stored.get(given_m.action_ref)
    if action is None and given_m.action_ref not in new_refs:
        raise InputError(
            f"expected the ref of an action of the plan (on the Actions sheet); found "
            f"{given_m.action_ref!r}",
            field="action_ref",
        )
    wanted = dict(given_m.values)
    if "by_text" in wanted and not same(wanted["by_text"]):
        raise InputError("a milestone needs its 'By ...' text", field="by_text")
    check_milestone_dates(wanted.get("due_date"), wanted.get("done_date"), known.window)
    existing = (
        next((m for m in action.milestones if m.ref == given_m.ref), None)
        if action is not None and given_m.ref
        else None
    )
    if existing is None:
        if given_m.version is not None:
            raise InputError(
                f"action {given_m.action_ref} has no milestone {given_m.ref}, yet this row "
                "was exported (its version is filled in): a milestone's ref cannot be "
                "changed by import; for a new milestone leave the version blank",
                field="ref",
            )
        if not same(wanted.get("by_text")):
            raise InputError("a new milestone needs its 'By ...' text", field="by_text")
        plan.milestone_adds.append((given_m, _new_ref(plan, action, given_m), wanted))
        return
    if given_m.version is None:
        raise InputError(
            f"expected the version exported with milestone {existing.ref} of action "
            f"{given_m.action_ref}; found an empty cell",
            field="version",
        )
    current = {k: getattr(existing, k) for k in wanted}
    changed = moved(current, wanted)
    if not changed:
        return
    if given_m.version != existing.version:
        where = (
            f"milestone {existing.ref} of action {given_m.action_ref} (sheet "
            f"{given_m.sheet}, row {given_m.row})"
        )
        _stale(
            session,
            "delivery_milestone",
            existing.id,
            given_m.version,
            wanted,
            where,
            existing.version,
            current,
        )
        plan.keep(where)
        return
    plan.milestone_edits.append((given_m, existing, {k: same_text(wanted[k]) for k in changed}))


def _new_ref(plan: Planned, action: DeliveryAction | None, given_m: TrackerMilestoneIn) -> str:
    """The ref a new milestone will get: its own, or the action's next free number (counting the
    milestones this workbook adds before it), as add_milestone would give it."""
    taken = {m.ref for m in action.milestones} if action is not None else set()
    taken |= {ref for g, ref, _ in plan.milestone_adds if g.action_ref == given_m.action_ref}
    if given_m.ref:
        if given_m.ref in taken:
            raise InputError(
                f"action {given_m.action_ref} already has a milestone {given_m.ref}: choose"
                " another ref",
                field="ref",
            )
        return given_m.ref
    numbers = [int(r) for r in taken if r.isdigit()]
    return str(max(numbers, default=0) + 1)


def changed_reports(
    checked: Checked,
) -> list[tuple[TrackerActionIn, dict[str, Any], DeliveryUpdate | None, list[str]]]:
    """The period's reports that differ from what is stored: (row, report, stored update or None,
    the fields that moved)."""
    out = []
    for given, report in checked.planned.report_rows:
        action = checked.known.stored.get(given.ref)
        stored = checked.known.updates.get(action.id) if action else None
        now = {k: getattr(stored, k) for k in UPDATE_FIELDS} if stored else {}
        fields = moved(now, report)
        if fields:
            out.append((given, report, stored, fields))
    return out
