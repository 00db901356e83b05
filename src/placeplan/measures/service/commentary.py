"""Commentary on a metric's figures, one per area and period: what a board should read into them.

Editors of an organisation covering the area write it; it is internal unless marked public, and
signed-out readers see only the public notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.areas.service import get_area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.periods import parse_reporting_period
from placeplan.core.permissions import can_edit_plan, require
from placeplan.measures.domain.commentary import MAX_CHARACTERS, check_text
from placeplan.measures.domain.fields import period_problem
from placeplan.measures.models import Metric, MetricCommentary
from placeplan.measures.service.metrics import get_metric, series
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

__all__ = ["MAX_CHARACTERS"]  # re-exported: the API limits the text it reads by it


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


def commentaries_for(
    session: Session, actor: Actor, metric: Metric, area: Area
) -> dict[str, MetricCommentary]:
    """The commentary `actor` may read, by period: signed-out readers get the public notes only."""
    return commentaries(session, metric, area, public_only=actor.principal is None)


def readable_commentary(
    session: Session, actor: Actor, gss_code: str, key: str
) -> dict[str, MetricCommentary]:
    """The commentary on the metric `key` in the area `gss_code` that `actor` may read."""
    area = get_area(session, gss_code)
    return commentaries_for(session, actor, get_metric(session, key), area)


@dataclass(frozen=True)
class CommentaryForm:
    metric: Metric
    area: Area
    periods: list[str]  # newest first
    chosen: str | None
    note: MetricCommentary | None


def commentary_form(
    session: Session, actor: Actor, gss_code: str, key: str, period: str | None
) -> CommentaryForm:
    """What the commentary form shows: the periods with figures and the note on the chosen one
    (`period`, else the latest)."""
    area = get_area(session, gss_code)
    metric = get_metric(session, key)
    require(can_comment(actor, area), f"comment on {area.name}'s figures")
    return _form(session, metric, area, period)


def _form(session: Session, metric: Metric, area: Area, period: str | None) -> CommentaryForm:
    notes = commentaries(session, metric, area, public_only=False)
    periods = [r.period for r in series(session, metric.id, area.id)]
    chosen = period if period in periods else (periods[-1] if periods else None)
    note = notes.get(chosen) if chosen else None
    return CommentaryForm(metric, area, list(reversed(periods)), chosen, note)


def refill_form(session: Session, gss_code: str, key: str, period: str | None) -> CommentaryForm:
    """The form again after a refused save (the actor was checked by the save)."""
    area = get_area(session, gss_code)
    return _form(session, get_metric(session, key), area, period)


def set_commentary_of(
    session: Session,
    actor: Actor,
    gss_code: str,
    key: str,
    period: str,
    text: str,
    *,
    public: bool,
    version: int | None = None,
) -> MetricCommentary:
    """`set_commentary` on the metric `key` in the area `gss_code`."""
    area = get_area(session, gss_code)
    return set_commentary(
        session,
        actor,
        get_metric(session, key),
        area,
        period,
        text,
        public=public,
        version=version,
    )


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
    text = check_text(text)
    figures = [r.period for r in series(session, metric.id, area.id)]
    if problem := period_problem(label, figures, "commentary's period"):
        raise InputError(problem, field="period")
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
    if version is None:  # every edit names the version it started from: none overwrites blind
        raise InputError(
            f"the commentary on {label} exists already: give the version you started from "
            f"(it is now at version {existing.version})",
            field="version",
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
