"""The JSON answers about what people record on a metric's SPC chart in an area: its
recalculations, annotations and fixed baseline, each with its id, version and URL. Who recorded a
mark is for signed-in readers only, as a commentary's author is."""

from __future__ import annotations

from pydantic import BaseModel, Field

from placeplan.measures.models import SpcAnnotation, SpcRebase
from placeplan.measures.service.spc_marks import ChartMarks


class RebaseOut(BaseModel):
    id: int
    period: str = Field(description="the first period of the recalculated limits")
    reason: str = Field(description="the change in the process the recalculation follows")
    recorded_by: str | None = Field(None, description="for signed-in readers only")
    recorded_at: str
    version: int
    url: str


class AnnotationOut(BaseModel):
    id: int
    period: str
    text: str
    recorded_by: str | None = Field(None, description="for signed-in readers only")
    recorded_at: str
    version: int
    url: str


class BaselineOut(BaseModel):
    area_code: str
    metric: str
    points: int | None = Field(
        description="the limits are fixed on each segment's first this many points (null: on"
        " every point)"
    )
    version: int | None = Field(description="send it back to change or remove the baseline")
    url: str


class ChartMarksOut(BaseModel):
    area_code: str
    metric: str
    rebases: list[RebaseOut]
    annotations: list[AnnotationOut]
    baseline: BaselineOut


class RemovedOut(BaseModel):
    removed: int = Field(description="the id of the recalculation or annotation removed")
    area_code: str
    metric: str


def _base(gss_code: str, key: str) -> str:
    return f"/api/v1/areas/{gss_code}/metrics/{key}"


def rebase_out(gss_code: str, key: str, rebase: SpcRebase, internal: bool = True) -> RebaseOut:
    return RebaseOut(
        id=rebase.id,
        period=rebase.period,
        reason=rebase.reason,
        recorded_by=rebase.recorded_by if internal else None,
        recorded_at=rebase.recorded_at.isoformat(),
        version=rebase.version,
        url=f"{_base(gss_code, key)}/rebases/{rebase.id}",
    )


def annotation_out(
    gss_code: str, key: str, note: SpcAnnotation, internal: bool = True
) -> AnnotationOut:
    return AnnotationOut(
        id=note.id,
        period=note.period,
        text=note.text,
        recorded_by=note.recorded_by if internal else None,
        recorded_at=note.recorded_at.isoformat(),
        version=note.version,
        url=f"{_base(gss_code, key)}/annotations/{note.id}",
    )


def baseline_out(gss_code: str, key: str, points: int | None, version: int | None) -> BaselineOut:
    return BaselineOut(
        area_code=gss_code,
        metric=key,
        points=points,
        version=version,
        url=f"{_base(gss_code, key)}/baseline",
    )


def chart_marks_out(gss_code: str, key: str, marks: ChartMarks, internal: bool) -> ChartMarksOut:
    return ChartMarksOut(
        area_code=gss_code,
        metric=key,
        rebases=[rebase_out(gss_code, key, r, internal) for r in marks.rebases],
        annotations=[annotation_out(gss_code, key, a, internal) for a in marks.annotations],
        baseline=baseline_out(gss_code, key, marks.baseline_points, marks.setting_version),
    )
