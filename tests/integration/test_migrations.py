"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL:
a model changed without its migration (or the reverse) fails here rather than in production."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from placeplan.store.registry import metadata


def test_the_migrated_schema_matches_the_models(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []
