"""pledge measures: where the latest value came from

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pledge_measures") as batch:
        batch.add_column(sa.Column("latest_source", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pledge_measures") as batch:
        batch.drop_column("latest_source")
