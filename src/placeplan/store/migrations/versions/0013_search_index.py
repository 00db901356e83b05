"""search: the index of findable records and its full-text side

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

`search_entries` holds one row per plan, scheme, metric, action, pledge and organisation;
`search_revision` the token every write to those records renews; `search_index_state` the token
the index was built from. The full-text side is the database's own: an FTS5 table on SQLite
(porter stemming over unicode61, rowid = the entry's id), a GIN index over the English tsvector of
title and body on PostgreSQL. The revision starts with a token the index was not built from, so
an existing database's index is built on its first search.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TSVECTOR = "to_tsvector('english', title || ' ' || body)"


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("plan_id", ID, nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("public_url", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_search_entries_kind"), "search_entries", ["kind"], unique=False)
    op.create_index(op.f("ix_search_entries_plan_id"), "search_entries", ["plan_id"], unique=False)
    op.create_table(
        "search_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "search_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_token", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO search_revision (id, token) VALUES (1, 'migrated')")
    op.execute("INSERT INTO search_index_state (id, built_token) VALUES (1, NULL)")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize='porter unicode61')"
        )
    else:
        op.execute(f"CREATE INDEX ix_search_entries_text ON search_entries USING gin ({TSVECTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX ix_search_entries_text")
    op.drop_table("search_index_state")
    op.drop_table("search_revision")
    op.drop_index(op.f("ix_search_entries_plan_id"), table_name="search_entries")
    op.drop_index(op.f("ix_search_entries_kind"), table_name="search_entries")
    op.drop_table("search_entries")
