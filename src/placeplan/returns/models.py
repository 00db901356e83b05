from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.plans.models import Plan
from placeplan.store.base import Base, BigId, UTCDateTime


class PlanReturn(Base):
    """A plan's return for a quarter (`year_end` for the fourth quarter's year-end return): what
    its preparers say (the national conditions still met and who confirmed it, successes and
    challenges) while it is a draft; once confirmed, `content` holds the whole return as it was
    confirmed, with its fingerprint, and nothing in it changes again."""

    __tablename__ = "bcf_returns"
    __table_args__ = (UniqueConstraint("plan_id", "quarter"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[str] = mapped_column(String(12))
    year_end: Mapped[bool] = mapped_column(Boolean, default=False)
    conditions_met: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    conditions_confirmed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    conditions_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    successes: Mapped[str | None] = mapped_column(Text, nullable=True)
    challenges: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    confirmed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()
