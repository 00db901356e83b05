"""regions and assurance: NHS regions over systems, and each plan's assurance record

Revision ID: 0022
Revises: 0017
Create Date: 2026-12-05

Systems gain the NHS England region they sit in (nullable: a database with no regions keeps
working); `assurance_records` holds a regional or national team's assurance of one plan. Plans
gain an index on (period_start, kind) that the regional dashboard and comparisons filter by.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0022"
down_revision = "0017"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("code", name=op.f("uq_regions_code")),
    )
    with op.batch_alter_table("systems") as batch:
        batch.add_column(sa.Column("region_id", ID, nullable=True))
        batch.create_foreign_key(
            batch.f("fk_systems_region_id_regions"), "regions", ["region_id"], ["id"]
        )
        batch.create_index(batch.f("ix_systems_region_id"), ["region_id"], unique=False)
    op.create_index("ix_plans_period_start_kind", "plans", ["period_start", "kind"])
    op.create_table(
        "assurance_records",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("checked", sa.JSON(), nullable=False),
        sa.Column("rating", sa.String(length=30), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("escalation_note", sa.Text(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_assurance_records_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assurance_records")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_assurance_records_plan_id")),
    )
    op.create_index("ix_assurance_records_rating", "assurance_records", ["rating"])


def downgrade() -> None:
    op.drop_index("ix_assurance_records_rating", table_name="assurance_records")
    op.drop_table("assurance_records")
    op.drop_index("ix_plans_period_start_kind", table_name="plans")
    with op.batch_alter_table("systems") as batch:
        batch.drop_index(batch.f("ix_systems_region_id"))
        batch.drop_constraint(batch.f("fk_systems_region_id_regions"), type_="foreignkey")
        batch.drop_column("region_id")
    op.drop_table("regions")
