"""Tables of a plan's pledges: pledge -> measures, pledge -> accountable partnerships, and the
plan's interventions with their timelines (optionally linked to a pledge)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.governance.models import Body
from placeplan.store.base import Base, BigId


class Pledge(Base):
    """A commitment of a plan to local people, in its own words, with the priority it sits under."""

    __tablename__ = "pledges"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text)
    priority: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    measures: Mapped[list[PledgeMeasure]] = relationship(
        back_populates="pledge", order_by="PledgeMeasure.position"
    )
    partnerships: Mapped[list[PledgePartnership]] = relationship(
        back_populates="pledge", order_by="PledgePartnership.position"
    )


class PledgePartnership(Base):
    """Who is accountable for a pledge: a governance body where the partnership is one, else the
    partnership's name as the plan gives it."""

    __tablename__ = "pledge_partnerships"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("bodies.id", ondelete="SET NULL"), nullable=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    pledge: Mapped[Pledge] = relationship(back_populates="partnerships")
    body: Mapped[Body | None] = relationship()


class PledgeMeasure(Base):
    """How a pledge's progress is judged: baseline and target (each with its period), the
    direction that is better, and the latest value recorded against them."""

    __tablename__ = "pledge_measures"
    __table_args__ = (UniqueConstraint("pledge_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    definition: Mapped[str | None] = mapped_column(Text, nullable=True)
    metric_key: Mapped[str | None] = mapped_column(
        ForeignKey("metrics.key", ondelete="SET NULL"), nullable=True, index=True
    )
    unit: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # higher | lower; None while the measure itself is still to be defined
    direction: Mapped[str | None] = mapped_column(String(10), nullable=True)
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    baseline_period: Mapped[str | None] = mapped_column(String(30), nullable=True)
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    target_period: Mapped[str | None] = mapped_column(String(30), nullable=True)
    latest_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 6), nullable=True)
    latest_period: Mapped[str | None] = mapped_column(String(30), nullable=True)
    latest_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the latest value came from when it was copied from the stored measurements (None:
    # typed by a person), so the page can say so.
    latest_source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    # The allocation (and the area in it) whose glide path gives the measure's yearly targets.
    allocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("finance_allocations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    allocation_area: Mapped[str | None] = mapped_column(String(200), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    pledge: Mapped[Pledge] = relationship(back_populates="measures")


class Intervention(Base):
    """One intervention of a plan's summary tables, with its timeline as written and the
    financial years it spans (end None: open-ended, "onwards")."""

    __tablename__ = "plan_interventions"
    __table_args__ = (UniqueConstraint("plan_id", "table_ref", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    table_ref: Mapped[str] = mapped_column(String(40))
    table_title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    number: Mapped[str] = mapped_column(String(20))
    area: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    timeline: Mapped[str | None] = mapped_column(String(100), nullable=True)
    start_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pledge_id: Mapped[int | None] = mapped_column(
        ForeignKey("pledges.id", ondelete="SET NULL"), nullable=True, index=True
    )
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    pledge: Mapped[Pledge | None] = relationship()
