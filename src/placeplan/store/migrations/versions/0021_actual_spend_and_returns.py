"""Actual spend by expenditure line and quarter; plans' quarterly and year-end returns

Revision ID: 0021
Revises: 0022
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0021"
down_revision = "0022"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "bcf_actual_spend",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("plan_id", BIG_ID, nullable=False),
        sa.Column("line_id", BIG_ID, nullable=False),
        sa.Column("quarter", sa.String(length=12), nullable=False),
        sa.Column("actual_pence", sa.BigInteger(), nullable=False),
        sa.Column("forecast_pence", sa.BigInteger(), nullable=True),
        sa.Column("commentary", sa.Text(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["bcf_lines.id"],
            name=op.f("fk_bcf_actual_spend_line_id_bcf_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_bcf_actual_spend_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_actual_spend")),
        sa.UniqueConstraint("line_id", "quarter", name=op.f("uq_bcf_actual_spend_line_id")),
    )
    op.create_index(op.f("ix_bcf_actual_spend_line_id"), "bcf_actual_spend", ["line_id"])
    op.create_index(op.f("ix_bcf_actual_spend_plan_id"), "bcf_actual_spend", ["plan_id"])
    op.create_table(
        "bcf_returns",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("plan_id", BIG_ID, nullable=False),
        sa.Column("quarter", sa.String(length=12), nullable=False),
        sa.Column("year_end", sa.Boolean(), nullable=False),
        sa.Column("conditions_met", sa.Boolean(), nullable=True),
        sa.Column("conditions_confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("conditions_note", sa.Text(), nullable=True),
        sa.Column("successes", sa.Text(), nullable=True),
        sa.Column("challenges", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_bcf_returns_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_returns")),
        sa.UniqueConstraint("plan_id", "quarter", name=op.f("uq_bcf_returns_plan_id")),
    )
    op.create_index(op.f("ix_bcf_returns_plan_id"), "bcf_returns", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_bcf_returns_plan_id"), table_name="bcf_returns")
    op.drop_table("bcf_returns")
    op.drop_index(op.f("ix_bcf_actual_spend_plan_id"), table_name="bcf_actual_spend")
    op.drop_index(op.f("ix_bcf_actual_spend_line_id"), table_name="bcf_actual_spend")
    op.drop_table("bcf_actual_spend")
