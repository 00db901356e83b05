"""A plan's financial models: the plan's own and its named scenarios. A model is stored as its
document (the domain's `to_document`: whole pounds, rates as text), read back and checked by
`finance.domain.document.from_document`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.plans.models import Plan
from placeplan.store.base import Base, BigId, UTCDateTime


class FinanceModel(Base):
    """A medium-term financial model kept with a plan. A scenario names the model it was copied
    from (`base_id`), that model's version then and its document then, so a later change to the
    base shows the scenario as out of date, with the differences, and never recomputes it."""

    __tablename__ = "finance_models"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    base_id: Mapped[int | None] = mapped_column(
        ForeignKey("finance_models.id", ondelete="SET NULL"), nullable=True, index=True
    )
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    base_document: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()


class FinanceAllocation(Base):
    """A need-weighted allocation kept with a plan: its areas, need components, yearly totals
    and pace of change, stored as its document (`finance.domain.allocation_document`)."""

    __tablename__ = "finance_allocations"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()
