"""Applying a tracker workbook's rows to its plan at once: every row checked (`tracker_check`),
then the changed ones written (`tracker_write`). A preview checks without writing
(`tracker_preview`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.delivery.domain.tracker import TrackerActionIn, TrackerMilestoneIn
from placeplan.delivery.service.tracker_check import check_tracker
from placeplan.delivery.service.tracker_write import write_tracker


def apply_tracker(
    session: Session,
    actor: Actor,
    plan_id: int,
    period: str,
    actions: list[TrackerActionIn],
    milestones: list[TrackerMilestoneIn],
) -> dict[str, Any]:
    """Apply a tracker workbook's changes to a plan, in the caller's transaction.

    Every row is checked first; only then are the changed rows written, each through the audited
    function for it (update_action, add_action, record_updates, add_milestone, update_milestone),
    so one bad or stale row refuses the lot and an unchanged workbook writes nothing. A row whose
    record was changed in the app since the export is refused as a Conflict naming the row, unless
    the workbook left that row as exported. Errors name the row and the field."""
    checked = check_tracker(session, actor, plan_id, period, actions, milestones)
    return write_tracker(session, actor, checked)
