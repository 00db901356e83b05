from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.areas.models import Area
from placeplan.store.base import Base, BigId, UTCDateTime, utcnow


class Metric(Base):
    __tablename__ = "metrics"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str | None] = mapped_column(Text, nullable=True)
    numerator: Mapped[str | None] = mapped_column(String(300), nullable=True)
    denominator: Mapped[str | None] = mapped_column(String(300), nullable=True)
    unit: Mapped[str] = mapped_column(
        String(30)
    )  # rate_per_100k | rate_per_100k_dsr | percentage | days | minutes | years | count
    population_age: Mapped[int | None] = mapped_column(
        Integer, nullable=True
    )  # rates of people aged N+
    # the ages an age-standardised rate covers ("65+", "0-74"); None for all ages
    age_range: Mapped[str | None] = mapped_column(String(20), nullable=True)
    direction: Mapped[str] = mapped_column(String(10))  # higher | lower | neither
    frequency: Mapped[str] = mapped_column(String(10))
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Measurement(Base):
    """One figure of a metric for an area and period, with the counts it came from where known."""

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("metric_id", "area_id", "period", "breakdown", "breakdown_value"),
        # A metric's latest period in the areas compared, and its figures (the funnel plot).
        Index("ix_measurements_metric_id_breakdown_period_sort", "metric_id", "breakdown",
              "period_sort"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    period_sort: Mapped[int] = mapped_column(Integer)
    numerator: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    denominator: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    breakdown: Mapped[str] = mapped_column(String(30), default="all")
    breakdown_value: Mapped[str] = mapped_column(String(60), default="all")
    recomputable: Mapped[bool] = mapped_column(Boolean, default=True)
    population_used: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    metric: Mapped[Metric] = relationship()
    area: Mapped[Area] = relationship()


class Ambition(Base):
    """A target for a metric in an area and period, with the baseline and change the plan states."""

    __tablename__ = "ambitions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    # Indexed: a plan's ambitions are read, and their revision checked, by plan.
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), nullable=True, index=True
    )
    period: Mapped[str] = mapped_column(String(20))
    target: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    baseline_period: Mapped[str | None] = mapped_column(String(20), nullable=True)
    stated_change: Mapped[str | None] = mapped_column(String(200), nullable=True)
    rationale: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    metric: Mapped[Metric] = relationship()
    area: Mapped[Area] = relationship()


class MeasuresRevision(Base):
    """One row whose random token changes whenever measurements or ambitions change, so computed
    boards can be reused by any process until then."""

    __tablename__ = "measures_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class AmbitionsRevision(Base):
    """A fresh random token whenever one plan's ambitions change: part of the plan's content token
    (app.plan_content), which the measures' one token cannot be, since every measurement renews
    it."""

    __tablename__ = "ambitions_revisions"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))


class MetricCommentary(Base):
    """What a board should read into one period's figure for a metric in an area. Kept apart from
    the figure itself, so a re-import of the numbers never touches what people wrote about them."""

    __tablename__ = "metric_commentaries"
    __table_args__ = (UniqueConstraint("metric_id", "area_id", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class SpcRebase(Base):
    """A recalculation of a metric's SPC limits in an area from a period on, at a change someone
    recorded with its reason (Making Data Count: recalculate only at a known change)."""

    __tablename__ = "spc_rebases"
    __table_args__ = (UniqueConstraint("metric_id", "area_id", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))  # the first period of the new limits
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class SpcAnnotation(Base):
    """A note on a metric's SPC chart in an area at a period: an intervention or other change."""

    __tablename__ = "spc_annotations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class SpcSetting(Base):
    """How a metric's SPC chart in an area is drawn: limits fixed on its first N points (None:
    from every point of each segment)."""

    __tablename__ = "spc_settings"
    __table_args__ = (UniqueConstraint("metric_id", "area_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    baseline_points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
