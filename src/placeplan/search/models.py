"""The search index: one row per findable record, kept in step with the records by a revision
token that every write to them renews (in the writer's transaction), and rebuilt when the token
it was built from no longer stands.

The full-text side is the database's own: on SQLite an FTS5 table (`search_fts`, rowid = the
entry's id, created by migration 0013), on PostgreSQL a GIN index over
`to_tsvector('english', title || ' ' || body)`. Neither is described here, as SQLAlchemy cannot
describe either portably; the migration creates them and the service fills and queries them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from placeplan.areas.models import Area, System
from placeplan.budget.models import Scheme
from placeplan.delivery.models import DeliveryAction
from placeplan.measures.models import Metric
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.pledges.models import Pledge
from placeplan.store.base import Base, BigId
from placeplan.store.revisions import Revisions


class SearchEntry(Base):
    """One findable record: what it is called, the text it is found by, and where it lives.
    `plan_id` is the plan it belongs to (a plan's own id for a plan), so a reader who may see
    only published plans sees only their records."""

    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    record_id: Mapped[int] = mapped_column(BigId)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(300))
    public_url: Mapped[str | None] = mapped_column(String(300), nullable=True)


class SearchRevision(Base):
    """One row whose random token changes whenever a findable record is written."""

    __tablename__ = "search_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class SearchIndexState(Base):
    """The token the index was last built from: when it differs from the revision's, the index
    is rebuilt before it is read."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    built_token: Mapped[str | None] = mapped_column(String(32), nullable=True)


FINDABLE = (Plan, Scheme, Metric, DeliveryAction, Pledge, Organisation)
# What an entry also says: a plan's area or system by name.
SHOWN = (Area, System)

# Every write goes through the ORM, so renewing on flush keeps the index honest on every path.
search_revisions = Revisions(SearchRevision, "id", tracked=FINDABLE + SHOWN, scope_of=lambda obj: 1)
