"""Capacity models kept with a plan, and their runs. The engine itself stays pure (no database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.plans.models import Plan
from placeplan.store.base import Base, BigId, UTCDateTime


class CapacityModel(Base):
    """A scenario (the YAML the engine reads) attached to a plan."""

    __tablename__ = "capacity_models"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scenario_yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()


class CapacityRun(Base):
    """One run of a model: the scenario as run, and the engine's report (costs in pence)."""

    __tablename__ = "capacity_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    model_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_models.id", ondelete="CASCADE"), index=True
    )
    scenario_yaml: Mapped[str] = mapped_column(Text)
    replications: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(20))  # queued, running, finished or failed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    elapsed_seconds: Mapped[float | None] = mapped_column(nullable=True)

    model: Mapped[CapacityModel] = relationship()


class CapacitySweep(Base):
    """A sweep of a scenario family over areas and variations (`placeplan capacity sweep
    --plan`): the spec and model as run, and one row a task (costs in pence)."""

    __tablename__ = "capacity_sweeps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    spec_yaml: Mapped[str] = mapped_column(Text)
    scenario_yaml: Mapped[str] = mapped_column(Text)
    replications: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    tasks: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    workers: Mapped[int] = mapped_column(Integer)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    elapsed_seconds: Mapped[float] = mapped_column()

    plan: Mapped[Plan] = relationship()
