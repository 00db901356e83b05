from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.areas.models import Area, System
from placeplan.organisations.models import Organisation
from placeplan.store.base import Base, BigId

body_members = Table(
    "body_members",
    Base.metadata,
    Column("body_id", ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Body(Base):
    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), nullable=True, index=True)
    system_id: Mapped[int | None] = mapped_column(ForeignKey("systems.id"), nullable=True)
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True)
    may_approve: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    area: Mapped[Area | None] = relationship()
    system: Mapped[System | None] = relationship()
    reports_to: Mapped[Body | None] = relationship(
        remote_side="Body.id", back_populates="reporting"
    )
    reporting: Mapped[list[Body]] = relationship(back_populates="reports_to", order_by="Body.name")
    members: Mapped[list[Organisation]] = relationship(
        secondary=body_members, order_by="Organisation.name"
    )

    def existed_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
