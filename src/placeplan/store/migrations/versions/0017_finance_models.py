"""A plan's medium-term financial models, their scenarios, and need-weighted allocations

Revision ID: 0017
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0017"
down_revision = "0020"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "finance_models",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("plan_id", BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("base_id", BIG_ID, nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("base_document", sa.JSON(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_finance_models_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["base_id"],
            ["finance_models.id"],
            name=op.f("fk_finance_models_base_id_finance_models"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_models")),
        sa.UniqueConstraint("plan_id", "name", name=op.f("uq_finance_models_plan_id")),
    )
    op.create_index(op.f("ix_finance_models_plan_id"), "finance_models", ["plan_id"])
    op.create_index(op.f("ix_finance_models_base_id"), "finance_models", ["base_id"])
    op.create_table(
        "finance_allocations",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("plan_id", BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_finance_allocations_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_allocations")),
        sa.UniqueConstraint("plan_id", "name", name=op.f("uq_finance_allocations_plan_id")),
    )
    op.create_index(op.f("ix_finance_allocations_plan_id"), "finance_allocations", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_finance_allocations_plan_id"), table_name="finance_allocations")
    op.drop_table("finance_allocations")
    op.drop_index(op.f("ix_finance_models_base_id"), table_name="finance_models")
    op.drop_index(op.f("ix_finance_models_plan_id"), table_name="finance_models")
    op.drop_table("finance_models")
