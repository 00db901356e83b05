"""Tables of a delivery plan: plan -> theme -> priority -> action -> milestones, and updates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.governance.models import Body
from placeplan.store.base import Base, BigId, UTCDateTime, utcnow
from placeplan.store.revisions import Revisions


class DeliveryFramework(Base):
    """What a plan's tracker rests on: its RAG definitions, guiding principles and PLUS groups."""

    __tablename__ = "delivery_frameworks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), unique=True, index=True
    )
    rag_definitions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    principles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    plus_groups: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class DeliveryTheme(Base):
    __tablename__ = "delivery_themes"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    ambition: Mapped[str | None] = mapped_column(Text, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    priorities: Mapped[list[DeliveryPriority]] = relationship(
        back_populates="theme", order_by="DeliveryPriority.position"
    )


class DeliveryPriority(Base):
    __tablename__ = "delivery_priorities"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_themes.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    statement: Mapped[str] = mapped_column(Text)  # "We will ..."
    outcome_statement: Mapped[str | None] = mapped_column(Text, nullable=True)
    do_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    theme: Mapped[DeliveryTheme] = relationship(back_populates="priorities")
    actions: Mapped[list[DeliveryAction]] = relationship(
        back_populates="priority", order_by="DeliveryAction.position"
    )


class DeliveryAction(Base):
    """A "We will" action with its "I will" statement, stage, equity, resources and leads."""

    __tablename__ = "delivery_actions"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_priorities.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    we_will: Mapped[str] = mapped_column(Text)
    i_will: Mapped[str | None] = mapped_column(Text, nullable=True)
    stage: Mapped[str] = mapped_column(String(20), default="not_started")
    improvement: Mapped[str | None] = mapped_column(Text, nullable=True)
    equity: Mapped[str | None] = mapped_column(Text, nullable=True)
    equity_assured: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    resources: Mapped[str | None] = mapped_column(Text, nullable=True)
    resources_source: Mapped[str | None] = mapped_column(Text, nullable=True)
    engagement: Mapped[str | None] = mapped_column(Text, nullable=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True, index=True)
    governance_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    lead_contacts: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_organisations: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    principles: Mapped[list[str]] = mapped_column(JSON, default=list)
    plus_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    priority: Mapped[DeliveryPriority] = relationship(back_populates="actions")
    body: Mapped[Body | None] = relationship()
    milestones: Mapped[list[DeliveryMilestone]] = relationship(
        back_populates="action", order_by="DeliveryMilestone.position"
    )


class DeliveryMilestone(Base):
    """A key activity or milestone: the "By ..." of the public view."""

    __tablename__ = "delivery_milestones"
    __table_args__ = (UniqueConstraint("action_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_actions.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    by_text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    action: Mapped[DeliveryAction] = relationship(back_populates="milestones")


class DeliveryUpdate(Base):
    """One action's report for one reporting period. The change since last period is derived."""

    __tablename__ = "delivery_updates"
    __table_args__ = (UniqueConstraint("action_id", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_actions.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))
    period_end: Mapped[date] = mapped_column(Date, index=True)
    overall_rag: Mapped[str] = mapped_column(String(10))
    risk_rag: Mapped[str | None] = mapped_column(String(10), nullable=True)
    trajectory_rag: Mapped[str | None] = mapped_column(String(10), nullable=True)
    internal_commentary: Mapped[str | None] = mapped_column(Text, nullable=True)
    public_commentary: Mapped[str | None] = mapped_column(Text, nullable=True)
    risks: Mapped[str | None] = mapped_column(Text, nullable=True)
    decision_needed: Mapped[str | None] = mapped_column(Text, nullable=True)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class DeliveryRevision(Base):
    """A fresh random token whenever anything of a plan's delivery tracker changes, so reports
    computed from it can be reused by any process until then."""

    __tablename__ = "delivery_revisions"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))


_TRACKED = (
    DeliveryFramework,
    DeliveryTheme,
    DeliveryPriority,
    DeliveryAction,
    DeliveryMilestone,
    DeliveryUpdate,
)


# Every write path goes through the ORM, so renewing on flush keeps the token honest without each
# service function having to remember it.
delivery_revisions = Revisions(
    DeliveryRevision, "plan_id", tracked=_TRACKED, scope_of=lambda obj: obj.plan_id
)
