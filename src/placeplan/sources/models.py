from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from placeplan.store.base import Base, BigId


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    file: Mapped[str | None] = mapped_column(String(300), nullable=True)
