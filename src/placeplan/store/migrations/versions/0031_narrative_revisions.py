"""a plan's narrative gets a revision token, so its fingerprint can be reused while its content stands

Revision ID: 0031
Revises: 0029
Create Date: 2026-12-05

A plan's fingerprint (the digest of everything it holds, which tells whether a sign-off decision
still covers it) was worked out from the whole plan on every page that shows its sign-off chain.
It is now reused while the plan's content token stands (placeplan.app.plan_content.token): the
plan's and its area's row versions and the revision tokens of its budget, the measures and, new
here, its narrative (`narrative_revisions`, renewed on every write of a block, a UEC priority or
a priority's scheme).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "narrative_revisions",
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_narrative_revisions_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_narrative_revisions")),
    )


def downgrade() -> None:
    op.drop_table("narrative_revisions")
