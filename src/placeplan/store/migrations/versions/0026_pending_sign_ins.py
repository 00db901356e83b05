"""single sign-on: browsers on their way to the organisation's identity provider

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05

`pending_sign_ins` holds, for each sign-in started with OpenID Connect, the hash of its state, its
nonce and PKCE verifier until the browser comes back (once: the row is then deleted).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pending_sign_ins",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("next_path", sa.String(length=500), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_sign_ins")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_pending_sign_ins_state_hash")),
    )


def downgrade() -> None:
    op.drop_table("pending_sign_ins")
