"""capacity sweeps: a scenario family run over areas and variations, one row a task

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "capacity_sweeps",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("spec_yaml", sa.Text(), nullable=False),
        sa.Column("scenario_yaml", sa.Text(), nullable=False),
        sa.Column("replications", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("tasks", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("elapsed_seconds", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_capacity_sweeps_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_sweeps")),
    )
    op.create_index(
        op.f("ix_capacity_sweeps_plan_id"), "capacity_sweeps", ["plan_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_capacity_sweeps_plan_id"), table_name="capacity_sweeps")
    op.drop_table("capacity_sweeps")
