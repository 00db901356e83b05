"""sign-off bound to plan versions; uploads held between preview and confirmation

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("plan_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(
            sa.Column("fingerprint", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("sign_off_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("decided_snapshot_id", ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sign_off_steps_decided_snapshot_id_plan_snapshots"),
            "plan_snapshots",
            ["decided_snapshot_id"],
            ["id"],
        )
    op.create_table(
        "pending_uploads",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("base", sa.String(length=64), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_by", sa.String(length=200), nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_pending_uploads_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_uploads")),
        sa.UniqueConstraint("token", name=op.f("uq_pending_uploads_token")),
    )


def downgrade() -> None:
    op.drop_table("pending_uploads")
    with op.batch_alter_table("sign_off_steps", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sign_off_steps_decided_snapshot_id_plan_snapshots"), type_="foreignkey"
        )
        batch_op.drop_column("decided_snapshot_id")
        batch_op.drop_column("decision_note")
    with op.batch_alter_table("plan_snapshots", schema=None) as batch_op:
        batch_op.drop_column("fingerprint")
        batch_op.drop_column("number")
