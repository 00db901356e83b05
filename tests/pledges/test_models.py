"""The pledges' tables as the migrations make them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from placeplan.store.registry import metadata

PLEDGE_TABLES = {"pledges", "pledge_measures", "pledge_partnerships", "plan_interventions"}


def test_the_migration_matches_the_models(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    ours = [d for d in diff if any(t in repr(d) for t in PLEDGE_TABLES)]
    assert ours == []
