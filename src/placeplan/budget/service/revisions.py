"""The budget's revision token, one per plan: renewed in the writer's transaction by every budget
write, so a computed view can be reused by any process until then (service.view)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from placeplan.budget.models import BudgetRevision
from placeplan.store.revisions import Revisions

REVISIONS = Revisions(BudgetRevision, "plan_id")


def touch(session: Session, plan_ids: Iterable[int]) -> None:
    """Give each plan's budget a new revision token, in the caller's transaction."""
    REVISIONS.renew(session, plan_ids)
