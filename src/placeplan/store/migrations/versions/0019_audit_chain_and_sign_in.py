"""Audit hash chain (backfilled), an audit-insert-only role on PostgreSQL, sign-in throttle

Revision ID: 0019
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from placeplan.store.audit import CHAINED, GENESIS, link_hash
from placeplan.store.base import UTCDateTime

revision = "0019"
down_revision = "0021"
branch_labels = None
depends_on = None

# The role the application may connect as on PostgreSQL: everything it needs, but the audit log
# and plan snapshots only read and appended to (it owns no table, so it cannot drop triggers,
# UPDATE, DELETE or TRUNCATE them). NOLOGIN until the operator gives it a password (README).
APP_ROLE = "placeplan_app"
APPEND_ONLY = ("audit_events", "plan_snapshots")


def _backfill() -> None:
    bind = op.get_bind()
    events = sa.table(
        "audit_events",
        sa.column("id", sa.BigInteger),
        *(
            sa.column(
                n, UTCDateTime if n == "at" else sa.JSON if n in ("before", "after") else None
            )
            for n in CHAINED
        ),
        sa.column("prev_hash", sa.String),
        sa.column("row_hash", sa.String),
    )
    dialect = bind.dialect.name
    # The append-only triggers refuse the one-off backfill: lifted for it, in this transaction.
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    else:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    prev = GENESIS
    rows = bind.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    for row in rows:
        digest = link_hash(prev, dict(row))
        bind.execute(
            events.update().where(events.c.id == row["id"]).values(prev_hash=prev, row_hash=digest)
        )
        prev = digest
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )
    else:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    head = sa.table("audit_chain_head", sa.column("id", sa.Integer), sa.column("last_hash"))
    bind.execute(head.insert().values(id=1, last_hash=prev))


def _app_role() -> None:
    """Create the role if this login may (CREATEROLE); grant it what the app needs."""
    appended = ", ".join(APPEND_ONLY)
    op.execute(
        f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
    BEGIN
      CREATE ROLE {APP_ROLE} NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create role {APP_ROLE}: create it as a superuser';
      RETURN;
    END;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO {APP_ROLE}', current_database());
  GRANT USAGE ON SCHEMA public TO {APP_ROLE};
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
  REVOKE UPDATE, DELETE, TRUNCATE ON {appended} FROM {APP_ROLE};
  REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {APP_ROLE};
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
  ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE};
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};
END $$;
"""
    )


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(64), nullable=True))
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    _backfill()
    op.create_table(
        "sign_in_throttle",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        _app_role()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE};
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {APP_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {APP_ROLE};
  END IF;
END $$;
"""
        )
    op.drop_table("sign_in_throttle")
    op.drop_table("audit_chain_head")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # batch mode copies the table, which drops its triggers: put them back.
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
