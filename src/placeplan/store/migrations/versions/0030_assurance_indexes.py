"""the national dataset at page speed: each plan's first submission and each metric's latest
period read through an index

Revision ID: 0030
Revises: 0026
Create Date: 2026-12-05

The assurance dashboard asks each plan of a year for its first submission (the smallest
`taken_at` of its snapshots): `ix_plan_snapshots_plan_id_taken_at` answers that from the index
alone. The funnel plot asks a metric's measurements for the latest period in the areas compared,
then that period's figures: `ix_measurements_metric_id_breakdown_period_sort` finds both without
reading the metric's 60 months of every area.
"""

from __future__ import annotations

from alembic import op

revision = "0030"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_plan_snapshots_plan_id_taken_at", "plan_snapshots", ["plan_id", "taken_at"])
    op.create_index(
        "ix_measurements_metric_id_breakdown_period_sort",
        "measurements",
        ["metric_id", "breakdown", "period_sort"],
    )


def downgrade() -> None:
    op.drop_index("ix_measurements_metric_id_breakdown_period_sort", table_name="measurements")
    op.drop_index("ix_plan_snapshots_plan_id_taken_at", table_name="plan_snapshots")
