from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placeplan.areas.models import Area
from placeplan.governance.models import Body
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.store.base import Base, BigId, Pence, UTCDateTime


class IncomeContribution(Base):
    __tablename__ = "bcf_income"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(30))
    contributor_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), nullable=True
    )
    amount_pence: Mapped[int] = mapped_column(Pence)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    cited: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    contributor: Mapped[Organisation | None] = relationship()


class Scheme(Base):
    __tablename__ = "bcf_schemes"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    scheme_type: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    desired_outcomes: Mapped[str | None] = mapped_column(Text, nullable=True)
    metrics: Mapped[list[str]] = mapped_column(JSON, default=list)
    priorities: Mapped[list[str]] = mapped_column(JSON, default=list)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    cited: Mapped[str | None] = mapped_column(String(300), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()
    lines: Mapped[list[ExpenditureLineRow]] = relationship(
        back_populates="scheme", order_by="ExpenditureLineRow.ref", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[KloeReview]] = relationship(
        back_populates="scheme", order_by="KloeReview.id.desc()", passive_deletes=True
    )


class ExpenditureLineRow(Base):
    __tablename__ = "bcf_lines"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("bcf_schemes.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(40))
    funding_source: Mapped[str] = mapped_column(String(30))
    amount_pence: Mapped[int] = mapped_column(Pence)
    new_pence: Mapped[int] = mapped_column(Pence, default=0)
    sub_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    area_of_spend: Mapped[str | None] = mapped_column(String(30), nullable=True)
    commissioner: Mapped[str | None] = mapped_column(String(10), nullable=True)
    nhs_share: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    provider: Mapped[str | None] = mapped_column(String(30), nullable=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    planned_outputs: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    output_unit: Mapped[str | None] = mapped_column(String(60), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    scheme: Mapped[Scheme] = relationship(back_populates="lines")
    district: Mapped[Organisation | None] = relationship()


class TopSliceRow(Base):
    __tablename__ = "bcf_top_slices"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    decided_on: Mapped[date] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(Pence)
    purpose: Mapped[str] = mapped_column(Text)

    body: Mapped[Body] = relationship()


class NhsAscBaseline(Base):
    """The NHS contribution to adult social care an area's plan must at least match, uplifted."""

    __tablename__ = "bcf_nhs_asc_baselines"
    __table_args__ = (UniqueConstraint("area_id", "year_start"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    year_start: Mapped[int] = mapped_column(Integer)
    baseline_pence: Mapped[int] = mapped_column(Pence)
    uplift_percent: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    cited: Mapped[str | None] = mapped_column(String(300), nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the uplift came from when it was taken from a financial model (None: the national
    # uplift for the year, or as the reference data gave it), and that model.
    uplift_source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    uplift_model_id: Mapped[int | None] = mapped_column(
        ForeignKey("finance_models.id", ondelete="SET NULL"), nullable=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    area: Mapped[Area] = relationship()


class StatedFigureRow(Base):
    __tablename__ = "bcf_stated_figures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(String(40))
    cited: Mapped[str | None] = mapped_column(String(300), nullable=True)


class KloeReview(Base):
    """A key-lines-of-enquiry review of one scheme. Each review is kept: the history is the rows."""

    __tablename__ = "kloe_reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("bcf_schemes.id", ondelete="CASCADE"), index=True
    )
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewer: Mapped[str] = mapped_column(String(200))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True)
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)  # {part: {"rating": .., "comment": ..}}
    recommendation: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))

    scheme: Mapped[Scheme] = relationship(back_populates="reviews")
    body: Mapped[Body | None] = relationship()


class BudgetRevision(Base):
    """A fresh random token each time a plan's budget changes, so a computed view can be reused
    until then by any process. Kept apart from `plans` so budget edits never bump the plan's
    version (which would turn a colleague's edit of the plan's title into a conflict)."""

    __tablename__ = "bcf_budget_revisions"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))


class ActualSpendRow(Base):
    """What an expenditure line spent in one quarter of the plan's year, and the outturn for the
    year forecast at that quarter (budget.domain.actuals). Removing the line removes its spend."""

    __tablename__ = "bcf_actual_spend"
    __table_args__ = (UniqueConstraint("line_id", "quarter"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("bcf_lines.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[str] = mapped_column(String(12))  # `2025-26 Q3`
    actual_pence: Mapped[int] = mapped_column(Pence)
    forecast_pence: Mapped[int | None] = mapped_column(Pence, nullable=True)
    commentary: Mapped[str | None] = mapped_column(Text, nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    line: Mapped[ExpenditureLineRow] = relationship()
