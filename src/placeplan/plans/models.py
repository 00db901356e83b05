from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.areas.models import Area, System
from placeplan.governance.models import Body
from placeplan.organisations.models import Organisation
from placeplan.store.base import Base, BigId, UTCDateTime


class Plan(Base):
    __tablename__ = "plans"
    # The regional dashboard and the comparisons read one year's plans of one kind.
    __table_args__ = (Index("ix_plans_period_start_kind", "period_start", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), nullable=True, index=True)
    system_id: Mapped[int | None] = mapped_column(
        ForeignKey("systems.id"), nullable=True, index=True
    )
    period_start: Mapped[int] = mapped_column(
        Integer
    )  # first financial year's starting calendar year
    period_end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    area: Mapped[Area | None] = relationship()
    system: Mapped[System | None] = relationship()
    steps: Mapped[list[SignOffStep]] = relationship(
        back_populates="plan", order_by="SignOffStep.position", cascade="all, delete-orphan"
    )
    snapshots: Mapped[list[PlanSnapshot]] = relationship(
        back_populates="plan", order_by="PlanSnapshot.id"
    )


class SignOffStep(Base):
    """One step of a plan's sign-off chain: a body's decision or a named signatory's signature."""

    __tablename__ = "sign_off_steps"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True)
    signatory_role: Mapped[str | None] = mapped_column(String(60), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), nullable=True
    )
    planned_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    recorded_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # What the step is for, as whoever set up the chain wrote it; never the decider's words.
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The snapshot of the plan the decision was taken on: the decision binds to that version.
    decided_snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_snapshots.id"), nullable=True
    )
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship(back_populates="steps")
    decided_snapshot: Mapped[PlanSnapshot | None] = relationship()
    body: Mapped[Body | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class PlanSnapshot(Base):
    """The plan as it stood when submitted. Never changed after it is written."""

    __tablename__ = "plan_snapshots"
    # Each plan's first submission from the index alone (the assurance dashboard).
    __table_args__ = (Index("ix_plan_snapshots_plan_id_taken_at", "plan_id", "taken_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(40))
    # The plan's version number: 1 for its first submission, counting up.
    number: Mapped[int] = mapped_column(Integer, default=1)
    # A digest of `content` without its sign-off, so "has the plan changed since?" is one compare.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    # The plan's content token when the version was taken: while the plan's token is still this,
    # its fingerprint is this version's, without reading the whole plan (None: kept before 0032).
    content_token: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="snapshots")
