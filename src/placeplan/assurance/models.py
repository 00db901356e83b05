from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.plans.models import Plan
from placeplan.store.base import Base, BigId, UTCDateTime, utcnow


class AssuranceRecord(Base):
    """A regional or national team's assurance of one plan: the checklist answers only the
    assurer can give, the rating with its conditions and comments, and any escalation. The plan
    itself stays the HWB's: nothing here changes it."""

    __tablename__ = "assurance_records"
    __table_args__ = (Index("ix_assurance_records_rating", "rating"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    # Answers to the checklist items the record cannot answer: {item key: "yes" | "no"}.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The whole checklist as it stood when the assurer last saved: {item key: "yes" | "no" | None}.
    checked: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rating: Mapped[str | None] = mapped_column(String(30), nullable=True)
    conditions: Mapped[str | None] = mapped_column(Text, nullable=True)
    comments: Mapped[str | None] = mapped_column(Text, nullable=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()
