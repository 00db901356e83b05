from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.store.base import Base, BigId


class Region(Base):
    """An NHS England region: the systems whose plans one regional team assures."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    systems: Mapped[list[System]] = relationship(back_populates="region", order_by="System.name")


class System(Base):
    """An integrated care system: the ICB's footprint and the places within it."""

    __tablename__ = "systems"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id"), nullable=True, index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    region: Mapped[Region | None] = relationship(back_populates="systems")
    areas: Mapped[list[Area]] = relationship(back_populates="system", order_by="Area.name")


class Area(Base):
    """The area of one Health and Wellbeing Board (an upper-tier council)."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    gss_code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    system_id: Mapped[int | None] = mapped_column(
        ForeignKey("systems.id"), nullable=True, index=True
    )
    registered_patients: Mapped[int | None] = mapped_column(Integer, nullable=True)
    patients_in_most_deprived_20pct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    patients_source: Mapped[str | None] = mapped_column(String(200), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    system: Mapped[System | None] = relationship(back_populates="areas")
    populations: Mapped[list[AreaPopulation]] = relationship(
        back_populates="area",
        order_by="(AreaPopulation.year, AreaPopulation.age_band)",
        cascade="all, delete-orphan",
    )


class AreaPopulation(Base):
    """People resident in an area in one age band in one (mid-)year."""

    __tablename__ = "area_populations"
    __table_args__ = (UniqueConstraint("area_id", "year", "age_band"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    age_band: Mapped[str] = mapped_column(String(10))
    population: Mapped[int] = mapped_column(Integer)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(300), nullable=True)

    area: Mapped[Area] = relationship(back_populates="populations")
