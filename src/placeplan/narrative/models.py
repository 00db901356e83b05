"""Tables of a plan's narrative (one block per heading, each save a version), the urgent and
emergency care priorities its schemes support, and each organisation's Word template."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from placeplan.budget.models import Scheme
from placeplan.organisations.models import Organisation
from placeplan.store.base import Base, BigId, UTCDateTime
from placeplan.store.revisions import Revisions


class NarrativeBlock(Base):
    """A plan's text under one heading of the national template: its latest words and where its
    review stands. Every save keeps a numbered version (NarrativeVersion)."""

    __tablename__ = "narrative_blocks"
    __table_args__ = (UniqueConstraint("plan_id", "heading"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    heading: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    number: Mapped[int] = mapped_column(Integer, default=1)  # the latest version's number
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    versions: Mapped[list[NarrativeVersion]] = relationship(
        back_populates="block", order_by="NarrativeVersion.number"
    )


class NarrativeVersion(Base):
    """One saved version of a block: never changed once written."""

    __tablename__ = "narrative_versions"
    __table_args__ = (UniqueConstraint("block_id", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("narrative_blocks.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by: Mapped[str] = mapped_column(String(200))

    block: Mapped[NarrativeBlock] = relationship(back_populates="versions")


class UecPriority(Base):
    """A priority of the system's urgent and emergency care plan, and the BCF schemes (by the
    budget's scheme ids) that support it."""

    __tablename__ = "uec_priorities"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(600))
    support: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    links: Mapped[list[UecPriorityScheme]] = relationship(
        back_populates="priority", order_by="UecPriorityScheme.position"
    )


class UecPriorityScheme(Base):
    __tablename__ = "uec_priority_schemes"
    __table_args__ = (UniqueConstraint("priority_id", "scheme_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("uec_priorities.id", ondelete="CASCADE"), index=True
    )
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("bcf_schemes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    priority: Mapped[UecPriority] = relationship(back_populates="links")
    scheme: Mapped[Scheme] = relationship()


class HouseStyle(Base):
    """An organisation's Word template (.docx with docxtpl placeholders): its documents use it."""

    __tablename__ = "house_styles"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation] = relationship()


class NarrativeRevision(Base):
    """A fresh random token whenever a plan's narrative (its blocks' words, its urgent and
    emergency care priorities and their schemes) changes: part of the plan's content token, under
    which its fingerprint is reused (app.plan_content)."""

    __tablename__ = "narrative_revisions"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))


def _plan_of(obj: NarrativeBlock | UecPriority | UecPriorityScheme) -> int | None:
    if not isinstance(obj, UecPriorityScheme):
        return obj.plan_id
    # A link names its priority only: the priority is in the session whenever a link is written
    # through the service (uec.add_priority), so this reads the identity map, not the database.
    session: Session | None = object_session(obj)
    if session is None:
        return None
    with session.no_autoflush:
        priority = session.get(UecPriority, obj.priority_id)
    return priority.plan_id if priority is not None else None


# Every narrative write goes through the ORM, so renewing on flush keeps the token honest without
# each service function having to remember it.
narrative_revisions = Revisions(
    NarrativeRevision,
    "plan_id",
    tracked=(NarrativeBlock, UecPriority, UecPriorityScheme),
    scope_of=_plan_of,
)
