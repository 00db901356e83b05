"""metric commentaries

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "metric_commentaries",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("metric_id", BIG_ID, nullable=False),
        sa.Column("area_id", BIG_ID, nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_metric_commentaries_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metrics.id"],
            name=op.f("fk_metric_commentaries_metric_id_metrics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_commentaries")),
        sa.UniqueConstraint(
            "metric_id",
            "area_id",
            "period",
            name=op.f("uq_metric_commentaries_metric_id"),
        ),
    )
    op.create_index(
        op.f("ix_metric_commentaries_area_id"), "metric_commentaries", ["area_id"], unique=False
    )
    op.create_index(
        op.f("ix_metric_commentaries_metric_id"), "metric_commentaries", ["metric_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_metric_commentaries_metric_id"), table_name="metric_commentaries")
    op.drop_index(op.f("ix_metric_commentaries_area_id"), table_name="metric_commentaries")
    op.drop_table("metric_commentaries")
