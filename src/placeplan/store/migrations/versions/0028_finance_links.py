"""Links from the financial models: a BCF plan's NHS minimum uplift taken from a financial model,
and a pledge measure following an allocation's glide path

Revision ID: 0028
Revises: 0030
Create Date: 2026-12-05

`bcf_nhs_asc_baselines` gains a version (so a change to the uplift is checked against the one the
person saw), `uplift_source` (where the uplift came from, in words) and `uplift_model_id` (the
financial model it was taken from, when it was). `pledge_measures` gains `allocation_id` and
`allocation_area`: the allocation and area whose glide path gives the measure's yearly targets.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0030"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("bcf_nhs_asc_baselines") as batch:
        batch.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(sa.Column("uplift_source", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("uplift_model_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_bcf_nhs_asc_baselines_uplift_model_id_finance_models"),
            "finance_models",
            ["uplift_model_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("pledge_measures") as batch:
        batch.add_column(sa.Column("allocation_id", ID, nullable=True))
        batch.add_column(sa.Column("allocation_area", sa.String(length=200), nullable=True))
        batch.create_foreign_key(
            op.f("fk_pledge_measures_allocation_id_finance_allocations"),
            "finance_allocations",
            ["allocation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(
            op.f("ix_pledge_measures_allocation_id"), ["allocation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pledge_measures") as batch:
        batch.drop_index(op.f("ix_pledge_measures_allocation_id"))
        batch.drop_constraint(
            op.f("fk_pledge_measures_allocation_id_finance_allocations"), type_="foreignkey"
        )
        batch.drop_column("allocation_area")
        batch.drop_column("allocation_id")
    with op.batch_alter_table("bcf_nhs_asc_baselines") as batch:
        batch.drop_constraint(
            op.f("fk_bcf_nhs_asc_baselines_uplift_model_id_finance_models"), type_="foreignkey"
        )
        batch.drop_column("uplift_model_id")
        batch.drop_column("uplift_source")
        batch.drop_column("version")
