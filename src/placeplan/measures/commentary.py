"""Commentary on a metric's figures, one per area and period: what a board should read into them.

Editors of an organisation covering the area write it; it is internal unless marked public, and
signed-out readers see only the public notes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.permissions import can_edit_plan, require
from placeplan.measures.models import Metric, MetricCommentary
from placeplan.measures.periods import parse_reporting_period
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

MAX_CHARACTERS = 2000  # a paragraph or two for a board paper, not a report


def can_comment(actor: Actor, area: Area) -> bool:
    return can_edit_plan(actor, area.id, None)


def commentaries(
    session: Session, metric: Metric, area: Area, *, public_only: bool
) -> dict[str, MetricCommentary]:
    query = select(MetricCommentary).where(
        MetricCommentary.metric_id == metric.id, MetricCommentary.area_id == area.id
    )
    if public_only:
        query = query.where(MetricCommentary.public.is_(True))
    return {c.period: c for c in session.scalars(query)}


def set_commentary(
    session: Session,
    actor: Actor,
    metric: Metric,
    area: Area,
    period: str,
    text: str,
    *,
    public: bool,
    version: int | None = None,
    illustrative: bool = False,
) -> MetricCommentary:
    """Write (or rewrite) the note on one period; a note saved from a stale page is a Conflict."""
    require(can_comment(actor, area), f"comment on {area.name}'s figures")
    label = parse_reporting_period(period.strip()).label
    text = text.strip()
    if not text:
        raise InputError("write the commentary, or leave the period as it is", field="text")
    if len(text) > MAX_CHARACTERS:
        raise InputError(
            f"commentary is {len(text):,} characters; at most {MAX_CHARACTERS:,}", field="text"
        )
    existing = session.scalar(
        select(MetricCommentary).where(
            MetricCommentary.metric_id == metric.id,
            MetricCommentary.area_id == area.id,
            MetricCommentary.period == label,
        )
    )
    author = actor.principal.display_name if actor.principal else actor.name
    if existing is None:
        if version not in (None, 0):
            raise InputError(
                f"there is no commentary on {label} to update (version {version})", field="version"
            )
        return add_recorded(
            session,
            actor,
            "metric_commentary",
            MetricCommentary(
                metric_id=metric.id,
                area_id=area.id,
                period=label,
                text=text,
                public=public,
                author=author,
                updated_at=utcnow(),
                illustrative=illustrative,
            ),
        )
    check_version(session, existing, "metric_commentary", version, ["text", "public"])
    if existing.text == text and existing.public == public:
        return existing
    update_recorded(
        session,
        actor,
        "metric_commentary",
        existing,
        {"text": text, "public": public, "author": author, "updated_at": utcnow()},
    )
    return existing
