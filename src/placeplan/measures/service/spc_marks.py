"""What people record about a metric's SPC chart in an area: recalculations (rebases) at a known
change, with the reason; annotations of interventions; and a fixed baseline of the first N points.
Each is written with its audit event; editors of an organisation covering the area write them."""

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
from placeplan.measures.models import Metric, SpcAnnotation, SpcRebase, SpcSetting
from placeplan.measures.service.metrics import get_metric, series
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

MAX_REASON = 2000
MAX_NOTE = 300
MIN_BASELINE = 12  # Making Data Count: limits on at least 12 points (NHSRplotthedots' advice too)


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
    charted = [
        r.period
        for r in series(session, metric.id, area.id)
        if parse_reporting_period(r.period).kind == metric.frequency
    ]
    if label not in charted:
        raise InputError(
            f"{metric.name} has no figure for {label} in {area.name}: choose a period on the chart",
            field="period",
        )
    return label, charted.index(label)


def _text(text: str, most: int, field: str, what: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError(f"Enter {what}", field=field)
    if len(cleaned) > most:
        raise InputError(f"{what.capitalize()} must be {most:,} characters or fewer", field=field)
    return cleaned


def add_rebase(
    session: Session, actor: Actor, gss_code: str, key: str, period: str, reason: str
) -> SpcRebase:
    """Recalculate the chart's limits from `period` on, for the recorded `reason`."""
    area, metric = get_area(session, gss_code), get_metric(session, key)
    require(can_mark(actor, area), f"recalculate {area.name}'s charts")
    label, place = _charted_period(session, metric, area, period)
    if place == 0:
        raise InputError("The limits already start at the first period", field="period")
    why = _text(reason, MAX_REASON, "reason", "the reason for the recalculation")
    if session.scalar(
        select(SpcRebase.id).where(
            SpcRebase.metric_id == metric.id,
            SpcRebase.area_id == area.id,
            SpcRebase.period == label,
        )
    ):
        raise InputError(f"The limits are already recalculated from {label}", field="period")
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
    note = _text(text, MAX_NOTE, "text", "the annotation")
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
    if points is not None and points < MIN_BASELINE:
        raise InputError(
            f"A baseline needs at least {MIN_BASELINE} points, as Making Data Count advises",
            field="baseline_points",
        )
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
    periods = [
        r.period
        for r in series(session, metric.id, area.id)
        if parse_reporting_period(r.period).kind == metric.frequency
    ]
    return ChartForm(metric, area, periods, marks_of(session, metric.id, area.id))


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
