"""What people record about a metric's SPC chart in an area: recalculations (rebases) at a known
change, with the reason; annotations of interventions; and a fixed baseline of the first N points.
Each is added, changed (from the version the editor started at) and removed with its audit event;
removing a recalculation needs its reason, kept in the audit. Editors of an organisation covering
the area write them; what each field accepts is measures.domain.fields.SPC_MARKS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.areas.service import get_area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.periods import parse_reporting_period
from placeplan.core.permissions import can_edit_plan, require
from placeplan.measures.domain.fields import MIN_BASELINE, SPC_MARKS
from placeplan.measures.domain.frequency import split_by_frequency
from placeplan.measures.models import Metric, SpcAnnotation, SpcRebase, SpcSetting
from placeplan.measures.service.metrics import get_metric, series
from placeplan.store import audit
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

T = TypeVar("T", SpcRebase, SpcAnnotation)

MAX_REASON = SPC_MARKS["reason"].max_length or 0
MAX_NOTE = SPC_MARKS["text"].max_length or 0
__all__ = ["MIN_BASELINE"]


@dataclass(frozen=True)
class ChartMarks:
    rebases: list[SpcRebase]
    annotations: list[SpcAnnotation]
    baseline_points: int | None
    setting_version: int | None


def can_mark(actor: Actor, area: Area) -> bool:
    return can_edit_plan(actor, area.id, None)


def marks_of(session: Session, metric_id: int, area_id: int) -> ChartMarks:
    """The recalculations, annotations and baseline of the chart, in period order."""
    where = (SpcRebase.metric_id == metric_id, SpcRebase.area_id == area_id)
    rebases = list(session.scalars(select(SpcRebase).where(*where)))
    notes = list(
        session.scalars(
            select(SpcAnnotation).where(
                SpcAnnotation.metric_id == metric_id, SpcAnnotation.area_id == area_id
            )
        )
    )
    setting = session.scalar(
        select(SpcSetting).where(SpcSetting.metric_id == metric_id, SpcSetting.area_id == area_id)
    )

    def order(period: str) -> int:
        return parse_reporting_period(period).sort_key

    return ChartMarks(
        sorted(rebases, key=lambda r: order(r.period)),
        sorted(notes, key=lambda a: (order(a.period), a.id)),
        setting.baseline_points if setting else None,
        setting.version if setting else None,
    )


def _by(actor: Actor) -> str:
    return actor.principal.display_name if actor.principal else actor.name


def _charted_period(session: Session, metric: Metric, area: Area, period: str) -> tuple[str, int]:
    """The period as the series writes it, and its place among the chart's periods."""
    label = parse_reporting_period(period.strip()).label
    charted = _periods(session, metric, area)
    if label not in charted:
        raise InputError(
            f"{metric.name} has no figure for {label} in {area.name}: choose a period on the chart",
            field="period",
        )
    return label, charted.index(label)


def _text(text: str, field: str, what: str) -> str:
    """The text as kept (runs of spaces made one), refused when empty or longer than its field's
    limit."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError(f"Enter {what}", field=field)
    SPC_MARKS[field].check(cleaned)
    return cleaned


def _rebase_period(
    session: Session, metric: Metric, area: Area, period: str, moving: int | None = None
) -> str:
    """The period a recalculation starts at, as the series writes it: a period on the chart
    after the first, where no other recalculation (than `moving`, the one being changed) starts."""
    label, place = _charted_period(session, metric, area, period)
    if place == 0:
        raise InputError("The limits already start at the first period", field="period")
    taken = session.scalar(
        select(SpcRebase.id).where(
            SpcRebase.metric_id == metric.id,
            SpcRebase.area_id == area.id,
            SpcRebase.period == label,
        )
    )
    if taken is not None and taken != moving:
        raise InputError(f"The limits are already recalculated from {label}", field="period")
    return label


def add_rebase(
    session: Session, actor: Actor, gss_code: str, key: str, period: str, reason: str
) -> SpcRebase:
    """Recalculate the chart's limits from `period` on, for the recorded `reason`."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    require(can_mark(actor, area), f"recalculate {area.name}'s charts")
    label = _rebase_period(session, metric, area, period)
    why = _text(reason, "reason", "the reason for the recalculation")
    return add_recorded(
        session,
        actor,
        "spc_rebase",
        SpcRebase(
            metric_id=metric.id,
            area_id=area.id,
            period=label,
            reason=why,
            recorded_by=_by(actor),
            recorded_at=utcnow(),
        ),
    )


def add_annotation(
    session: Session, actor: Actor, gss_code: str, key: str, period: str, text: str
) -> SpcAnnotation:
    """Mark an intervention or other change on the chart at `period`."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    require(can_mark(actor, area), f"annotate {area.name}'s charts")
    label, _place = _charted_period(session, metric, area, period)
    note = _text(text, "text", "the annotation")
    return add_recorded(
        session,
        actor,
        "spc_annotation",
        SpcAnnotation(
            metric_id=metric.id,
            area_id=area.id,
            period=label,
            text=note,
            recorded_by=_by(actor),
            recorded_at=utcnow(),
        ),
    )


def set_baseline(
    session: Session,
    actor: Actor,
    gss_code: str,
    key: str,
    points: int | None,
    version: int | None = None,
) -> SpcSetting | None:
    """Fix the limits on the first `points` points of each segment (None: on every point)."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    require(can_mark(actor, area), f"change {area.name}'s charts")
    SPC_MARKS["baseline_points"].check(points)
    setting = session.scalar(
        select(SpcSetting).where(SpcSetting.metric_id == metric.id, SpcSetting.area_id == area.id)
    )
    if setting is None:
        if points is None:
            return None
        return add_recorded(
            session,
            actor,
            "spc_setting",
            SpcSetting(metric_id=metric.id, area_id=area.id, baseline_points=points),
        )
    check_version(session, setting, "spc_setting", version, ["baseline_points"])
    if setting.baseline_points != points:
        update_recorded(session, actor, "spc_setting", setting, {"baseline_points": points})
    return setting


@dataclass(frozen=True)
class ChartForm:
    metric: Metric
    area: Area
    periods: list[str]  # the chart's periods, oldest first
    marks: ChartMarks


def chart_form(session: Session, actor: Actor, gss_code: str, key: str) -> ChartForm:
    """What the chart's settings page shows: its periods and what is recorded about it."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    require(can_mark(actor, area), f"change {area.name}'s charts")
    return ChartForm(
        metric, area, _periods(session, metric, area), marks_of(session, metric.id, area.id)
    )


def baseline_number(text: str) -> int | None:
    """The number of baseline points as typed: blank for none, else a whole number."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise InputError(
            "Enter the number of points as a whole number, such as 12, or leave it blank",
            field="baseline_points",
        )
    return int(cleaned)


@dataclass(frozen=True)
class MarkForm:
    """What a recalculation's or an annotation's own page shows: the chart's periods and the
    mark as it is stored."""

    metric: Metric
    area: Area
    periods: list[str]
    mark: SpcRebase | SpcAnnotation


def _mark(
    session: Session, actor: Actor, gss_code: str, key: str, model: type[T], ident: int
) -> tuple[Area, Metric, T]:
    """The chart's area and metric and its mark `ident`, for an editor of the area; a mark of
    another chart is not found."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    require(can_mark(actor, area), f"change {area.name}'s charts")
    mark = session.get(model, ident)
    if mark is None or (mark.metric_id, mark.area_id) != (metric.id, area.id):
        noun = "recalculation" if model is SpcRebase else "annotation"
        raise NotFound(f"{metric.name} in {area.name} has no such {noun}")
    return area, metric, mark


def mark_form(
    session: Session, actor: Actor, gss_code: str, key: str, what: str, ident: int
) -> MarkForm:
    """A recalculation (`what` "rebase") or an annotation ("annotation") and the periods it may
    move to, for its editing page."""
    mark: SpcRebase | SpcAnnotation
    if what == "rebase":
        area, metric, mark = _mark(session, actor, gss_code, key, SpcRebase, ident)
    else:
        area, metric, mark = _mark(session, actor, gss_code, key, SpcAnnotation, ident)
    return MarkForm(metric, area, _periods(session, metric, area), mark)


def _periods(session: Session, metric: Metric, area: Area) -> list[str]:
    """The chart's periods: those of the frequency it is drawn over (`domain.frequency`)."""
    rows = series(session, metric.id, area.id)
    return [r.period for r in split_by_frequency(rows, lambda r: r.period, metric.frequency)[0]]


def change_rebase(
    session: Session,
    actor: Actor,
    gss_code: str,
    key: str,
    rebase_id: int,
    changes: dict[str, str],
    version: int | None,
) -> SpcRebase:
    """Move a recalculation to another period or restate its reason (`changes`: "period",
    "reason"), from the `version` the editor started at."""
    area, metric, rebase = _mark(session, actor, gss_code, key, SpcRebase, rebase_id)
    check_version(session, rebase, "spc_rebase", version, ["period", "reason"])
    values: dict[str, object] = {}
    if "period" in changes:
        values["period"] = _rebase_period(session, metric, area, changes["period"], rebase.id)
    if "reason" in changes:
        values["reason"] = _text(changes["reason"], "reason", "the reason for the recalculation")
    update_recorded(session, actor, "spc_rebase", rebase, values)
    return rebase


def remove_rebase(
    session: Session,
    actor: Actor,
    gss_code: str,
    key: str,
    rebase_id: int,
    reason: str,
    version: int | None,
) -> SpcRebase:
    """Remove a recalculation, for a `reason` the audit keeps with what it was: the limits then
    run on from the recalculation before it (or the first period)."""
    _area, _metric, rebase = _mark(session, actor, gss_code, key, SpcRebase, rebase_id)
    check_version(session, rebase, "spc_rebase", version, ["period", "reason"])
    why = _text(reason, "removal_reason", "why the recalculation is removed")
    # The removal's event keeps what it was, and (as its "after") the same with the reason for
    # removing it: the audit history then reads "Why it was removed" beside the recalculation.
    state = audit.state_of(rebase)
    audit.record(
        session, actor, "delete", "spc_rebase", rebase.id, state, {**state, "removal_reason": why}
    )
    session.delete(rebase)
    session.flush()
    return rebase


def change_annotation(
    session: Session,
    actor: Actor,
    gss_code: str,
    key: str,
    annotation_id: int,
    changes: dict[str, str],
    version: int | None,
) -> SpcAnnotation:
    """Move an annotation to another period or reword it (`changes`: "period", "text"), from the
    `version` the editor started at."""
    area, metric, note = _mark(session, actor, gss_code, key, SpcAnnotation, annotation_id)
    check_version(session, note, "spc_annotation", version, ["period", "text"])
    values: dict[str, object] = {}
    if "period" in changes:
        values["period"] = _charted_period(session, metric, area, changes["period"])[0]
    if "text" in changes:
        values["text"] = _text(changes["text"], "text", "the annotation")
    update_recorded(session, actor, "spc_annotation", note, values)
    return note


def remove_annotation(
    session: Session,
    actor: Actor,
    gss_code: str,
    key: str,
    annotation_id: int,
    version: int | None,
) -> SpcAnnotation:
    """Remove an annotation; the audit keeps what it said."""
    _area, _metric, note = _mark(session, actor, gss_code, key, SpcAnnotation, annotation_id)
    check_version(session, note, "spc_annotation", version, ["period", "text"])
    audit.record(session, actor, "delete", "spc_annotation", note.id, audit.state_of(note), None)
    session.delete(note)
    session.flush()
    return note


def chart_marks(session: Session, gss_code: str, key: str) -> tuple[Metric, Area, ChartMarks]:
    """What is recorded about a chart, for anyone who may read the chart (its recalculations and
    annotations are drawn on it, which the public sees)."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    return metric, area, marks_of(session, metric.id, area.id)
