"""SPC recalculations, annotations and chart settings

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _keys(table: str) -> list[Any]:
    return [
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("metric_id", BIG_ID, nullable=False),
        sa.Column("area_id", BIG_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f(f"fk_{table}_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metrics.id"],
            name=op.f(f"fk_{table}_metric_id_metrics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _indexes(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_area_id"), table, ["area_id"], unique=False)
    op.create_index(op.f(f"ix_{table}_metric_id"), table, ["metric_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "spc_rebases",
        *_keys("spc_rebases"),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint(
            "metric_id", "area_id", "period", name=op.f("uq_spc_rebases_metric_id")
        ),
    )
    _indexes("spc_rebases")
    op.create_table(
        "spc_annotations",
        *_keys("spc_annotations"),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
    )
    _indexes("spc_annotations")
    op.create_table(
        "spc_settings",
        *_keys("spc_settings"),
        sa.Column("baseline_points", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("metric_id", "area_id", name=op.f("uq_spc_settings_metric_id")),
    )
    _indexes("spc_settings")


def downgrade() -> None:
    for table in ("spc_settings", "spc_annotations", "spc_rebases"):
        op.drop_index(op.f(f"ix_{table}_metric_id"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_area_id"), table_name=table)
        op.drop_table(table)
