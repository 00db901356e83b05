"""single sign-on matches people by e-mail: users may carry their work e-mail address

Revision ID: 0029
Revises: 0028 (migrations in the order of merging: 0030 and 0028 reached main first)
Create Date: 2026-12-05

A user signing in with their organisation's account is matched to the placeplan user whose
`email` is the address the identity provider vouches for (or, as before, whose username is that
address). Stored lower-cased, at most one user per address; empty for users who sign in with a
password only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.create_unique_constraint(op.f("uq_users_email"), ["email"])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("uq_users_email"), type_="unique")
        batch.drop_column("email")
