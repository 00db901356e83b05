"""measures

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measures_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures_revision")),
    )
    op.create_table(
        "metrics",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("numerator", sa.String(length=300), nullable=True),
        sa.Column("denominator", sa.String(length=300), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("population_age", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metrics")),
        sa.UniqueConstraint("key", name=op.f("uq_metrics_key")),
    )
    op.create_table(
        "measurements",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "metric_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("area_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("period_sort", sa.Integer(), nullable=False),
        sa.Column("numerator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("denominator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("value", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("breakdown", sa.String(length=30), nullable=False),
        sa.Column("breakdown_value", sa.String(length=60), nullable=False),
        sa.Column("recomputable", sa.Boolean(), nullable=False),
        sa.Column("population_used", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_measurements_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metrics.id"],
            name=op.f("fk_measurements_metric_id_metrics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
        sa.UniqueConstraint(
            "metric_id",
            "area_id",
            "period",
            "breakdown",
            "breakdown_value",
            name=op.f("uq_measurements_metric_id"),
        ),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurements_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_measurements_metric_id"), ["metric_id"], unique=False)

    op.create_table(
        "ambitions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "metric_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("area_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("baseline", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("baseline_period", sa.String(length=20), nullable=True),
        sa.Column("stated_change", sa.String(length=200), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_ambitions_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metrics.id"],
            name=op.f("fk_ambitions_metric_id_metrics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_ambitions_plan_id_plans"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ambitions")),
    )
    with op.batch_alter_table("ambitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ambitions_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ambitions_metric_id"), ["metric_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ambitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ambitions_metric_id"))
        batch_op.drop_index(batch_op.f("ix_ambitions_area_id"))

    op.drop_table("ambitions")
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurements_metric_id"))
        batch_op.drop_index(batch_op.f("ix_measurements_area_id"))

    op.drop_table("measurements")
    op.drop_table("metrics")
    op.drop_table("measures_revision")
