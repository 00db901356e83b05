"""audit events: the plan each is about

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

`audit_events` is append-only (triggers refuse UPDATE and DELETE), so the column is added in place
(ALTER TABLE ADD COLUMN; no batch copy of the table) and earlier events keep it empty: they are
still found by record, kind, person and date, not by plan.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("plan_id", ID, nullable=True))
    op.create_index(op.f("ix_audit_events_plan_id"), "audit_events", ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_events_plan_id"), table_name="audit_events")
    op.drop_column("audit_events", "plan_id")
