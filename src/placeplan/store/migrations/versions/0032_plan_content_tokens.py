"""a plan's version keeps the content token it was taken under, and a plan's ambitions get a
revision token of their own

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05

A published plan's first view worked out its fingerprint from the whole plan (8 of its page's 13
statements), because the token its fingerprint was kept under moved with things that do not
change what the plan holds: publication (the plan row's version), and any measurement anywhere
(the measures' one token). The token is now made of the plan's particulars themselves, its area's
and system's versions, and per-plan tokens for its budget, its narrative and, new here, its
ambitions (`ambitions_revisions`, renewed on every write of one of the plan's ambitions). Each
version keeps the token it was taken under (`plan_snapshots.content_token`): while the plan's
token is still that, the plan's fingerprint is the version's. A plan's ambitions are now read by
an index on `ambitions.plan_id`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ambitions_revisions",
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_ambitions_revisions_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_ambitions_revisions")),
    )
    with op.batch_alter_table("plan_snapshots") as batch:
        batch.add_column(sa.Column("content_token", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_ambitions_plan_id"), "ambitions", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ambitions_plan_id"), table_name="ambitions")
    with op.batch_alter_table("plan_snapshots") as batch:
        batch.drop_column("content_token")
    op.drop_table("ambitions_revisions")
