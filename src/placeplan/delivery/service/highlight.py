"""The highlight report of a plan's tracker, and the reuse of it and of what is made from it.

Reports are reused until the plan's delivery revision token changes (any write to its tracker, in
any process, replaces it); the TTL bounds what the token does not cover, such as a governance
body's new name, and the calendar (overdue is judged at the period's end).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.delivery.domain.highlight import highlight_report
from placeplan.delivery.models import delivery_revisions
from placeplan.delivery.service.access import internal_plan
from placeplan.delivery.service.reads import action_rows, body_id_of, choose_period
from placeplan.delivery.service.structure import rag_definitions
from placeplan.store.revisions import ReuseCache

T = TypeVar("T")

REPORT_TTL = 60.0
# The reports themselves.
REPORTS: ReuseCache[dict[str, Any]] = ReuseCache(256, REPORT_TTL)
# The highlight page's report body, rendered HTML: rendering a 500-action report through Jinja took
# ~30 ms of a request and made the page 5x slower than the API under load; the body holds nothing
# about who is asking, so it is shared.
PAGE_BODIES: ReuseCache[Any] = ReuseCache(32, REPORT_TTL)
# The API's encoded answers: FastAPI's encoder walking a 500-action report cost more than
# computing it.
API_ANSWERS: ReuseCache[Any] = ReuseCache(32, REPORT_TTL)


def revision_token(session: Session, plan_id: int) -> str | None:
    """The plan's delivery revision token: renewed by any write to its tracker, in any process."""
    return delivery_revisions.token(session, plan_id)


def clear_caches() -> None:
    for cache in (REPORTS, PAGE_BODIES, API_ANSWERS):
        cache.clear()


def reused(
    cache: ReuseCache[T],
    session: Session,
    plan_id: int,
    key: tuple[Hashable, ...],
    make: Callable[[], T],
) -> T:
    """What `make` gives for the plan, reused from `cache` while the plan's revision token stands
    (and for at most the report TTL); `key` names whatever else the value depends on."""
    full_key = (str(session.get_bind().engine.url), plan_id, *key)
    return cache.get_or_make(full_key, revision_token(session, plan_id), make)


def highlight(
    session: Session,
    actor: Actor,
    plan_id: int,
    period: str | None = None,
    body: int | str | None = None,
) -> dict[str, Any]:
    """What a board reviews for a period: reds and ambers, what changed since last period, what is
    overdue and the decisions asked of it. The period defaults to the latest with updates."""
    plan = internal_plan(session, actor, plan_id)
    when = choose_period(session, plan_id, period)
    body_id = body_id_of(session, body)
    header = {"id": plan.id, "title": plan.title, "status": plan.status}

    def make() -> dict[str, Any]:
        return highlight_report(
            header,
            when,
            action_rows(session, plan_id, when, body_id=body_id),
            body_id,
            rag_definitions(session, plan_id),
        )

    made: list[bool] = []

    def make_once() -> dict[str, Any]:
        made.append(True)
        return make()

    report = reused(REPORTS, session, plan_id, (when.label if when else None, body_id), make_once)
    return report if made else {**report, "plan": header}
