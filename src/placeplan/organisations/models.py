from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.areas.models import Area, System
from placeplan.store.base import Base, BigId

ORGANISATION_KINDS: dict[str, str] = {
    "icb": "Integrated Care Board",
    "ccg": "Clinical Commissioning Group (until 2022)",
    "upper_tier_council": "Upper-tier council",
    "district_council": "District council",
    "nhs_trust": "NHS trust",
    "vcse": "Voluntary, community or social enterprise",
    "healthwatch": "Healthwatch",
    "nhs_england_region": "NHS England regional team",
    "other": "Other",
}

organisation_areas = Table(
    "organisation_areas",
    Base.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    ods_code: Mapped[str | None] = mapped_column(String(6), unique=True, nullable=True)
    system_id: Mapped[int | None] = mapped_column(
        ForeignKey("systems.id"), nullable=True, index=True
    )
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    system: Mapped[System | None] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=organisation_areas, order_by="Area.name")

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KINDS.get(self.kind, self.kind)
