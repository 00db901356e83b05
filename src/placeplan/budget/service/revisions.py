"""The budget's revision token, one per plan: renewed in the writer's transaction by every budget
write, so a computed view can be reused by any process until then (service.view)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.models import BudgetRevision
from placeplan.core.errors import Conflict
from placeplan.plans.models import Plan
from placeplan.store.revisions import Revisions

REVISIONS = Revisions(BudgetRevision, "plan_id")


def touch(session: Session, plan_ids: Iterable[int]) -> None:
    """Give each plan's budget a new revision token, in the caller's transaction."""
    REVISIONS.renew(session, plan_ids)


def revision(session: Session, plan_id: int) -> str | None:
    """The plan's budget revision as a reader is given it: None before the budget's first write."""
    return REVISIONS.token(session, plan_id)


def check_revision(session: Session, plan_id: int, based_on: str | None) -> None:
    """Refuse a whole-budget write made from a budget that has changed since it was read. The
    plan's row is locked first, so of two writers from one revision the second waits, then sees
    the first's new revision and is refused, instead of overwriting it."""
    session.execute(select(Plan.id).where(Plan.id == plan_id).with_for_update())
    now = REVISIONS.token(session, plan_id)
    if now != based_on:
        raise Conflict(
            "this plan's budget was changed by someone else since you read it: read it again"
            " and send the revision it gives",
            current_version=0,
        )
