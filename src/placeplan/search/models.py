"""The search index: one row per findable record, written in the same flush as the record.

Every write goes through the ORM, so a flush hook keeps the index honest on every path (page,
API, workbook, command line, demo loader): after the flush, each findable record added or changed
has its rows rewritten from its columns, each one removed has them dropped, and what quotes a
changed name (a plan's title in its schemes', actions' and pledges' entries; an area's or
system's name in its plans') is rewritten too. A rolled-back write rolls its rows back with it.
Who may read an entry is not in the index: a search joins the plan's status at read time.

The full-text side is the database's own: on SQLite an FTS5 table (`search_fts`, rowid = the
entry's id, created by migration 0013) that this module writes beside the entries, on PostgreSQL
a GIN index over `to_tsvector('english', title || ' ' || body)` that the database maintains.
Neither is described as a table here, as SQLAlchemy cannot describe either portably.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    column,
    delete,
    event,
    insert,
    inspect,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from placeplan.areas.models import Area, System
from placeplan.plans.models import Plan
from placeplan.search import entries
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
    """One row whose token names the index's form: a migration or `placeplan search reindex`
    renews it when the whole index is to be made anew (writes keep the rows in step themselves)."""

    __tablename__ = "search_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class SearchIndexState(Base):
    """The token the index was last built whole from: when it differs from the revision's (a new
    database, or one whose index was written by a version that did not keep it in step), the
    index is rebuilt before it is read."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    built_token: Mapped[str | None] = mapped_column(String(32), nullable=True)


# Names quoted in other records' entries: an area's or system's in its plans'.
SHOWN = (Area, System)

search_revisions = Revisions(SearchRevision, "id")

_ENTRIES = cast(Table, SearchEntry.__table__)
_FTS = table("search_fts", column("rowid"), column("title"), column("body"))


def drop_entries(conn: Connection, where: ColumnElement[bool]) -> None:
    """Remove the entries matching `where` (over `search_entries`), and their full text."""
    if conn.dialect.name == "sqlite":
        conn.execute(delete(_FTS).where(_FTS.c.rowid.in_(select(_ENTRIES.c.id).where(where))))
    conn.execute(delete(_ENTRIES).where(where))


def add_entries(conn: Connection, rows: Iterable[entries.Row]) -> int:
    """Insert the rows (and on SQLite their full text); the number inserted."""
    rows = list(rows)
    if not rows:
        return 0
    if conn.dialect.name != "sqlite":
        conn.execute(insert(_ENTRIES), rows)
        return len(rows)
    made = conn.execute(
        insert(_ENTRIES).returning(_ENTRIES.c.id, _ENTRIES.c.title, _ENTRIES.c.body), rows
    ).all()
    conn.execute(
        insert(_FTS), [{"rowid": i, "title": title, "body": body} for i, title, body in made]
    )
    return len(made)


def _changed(obj: Any, name: str) -> bool:
    return bool(inspect(obj).attrs[name].history.has_changes())


class _Stale:
    """The records whose entries a flush makes stale, by class, and for the kinds that belong to
    a plan the plans their entries name: the entries are found through the indexed `plan_id`
    (`record_id` has no index, and a scan of the whole index would cost a write on a big one)."""

    def __init__(self) -> None:
        self.ids: dict[type[Any], set[Any]] = defaultdict(set)
        self.plans: dict[type[Any], set[int]] = defaultdict(set)

    def add(self, cls: type[Any], obj: Any) -> None:
        self.ids[cls].add(obj.id)
        if cls in entries.QUOTING_PLAN:
            self.plans[cls].update([obj.plan_id, *inspect(obj).attrs.plan_id.history.deleted])

    def where(self) -> ColumnElement[bool]:
        found = []
        for cls, ids in self.ids.items():
            kind = _ENTRIES.c.kind == entries.ROWS[cls][0]
            if cls is Plan:
                found.append(kind & _ENTRIES.c.plan_id.in_(ids))
            elif cls in entries.QUOTING_PLAN:
                plans = _ENTRIES.c.plan_id.in_(self.plans[cls] - {None})
                found.append(kind & plans & _ENTRIES.c.record_id.in_(ids))
            else:
                found.append(kind & _ENTRIES.c.record_id.in_(ids))
        return or_(*found)


def _drop_removed_plans(session: Session, _context: object, _instances: object) -> None:
    # A plan's entries (its own and its records') go with it by the foreign key's cascade, which
    # would leave their full text behind on SQLite: drop them while the plan is still there.
    gone = [obj.id for obj in session.deleted if isinstance(obj, Plan)]
    if gone:
        drop_entries(session.connection(), _ENTRIES.c.plan_id.in_(gone))


def _write_flushed(session: Session, _context: object) -> None:
    """Rewrite the entries of what this flush changed (the session still lists the flush's new,
    dirty and deleted objects, with their attributes' history)."""
    stale, rewritten = _Stale(), _Stale()
    plans_retitled: set[int] = set()
    areas_renamed: set[Any] = set()
    systems_renamed: set[Any] = set()
    for obj in session.deleted:
        for cls in entries.ROWS:
            if isinstance(obj, cls):
                stale.add(cls, obj)
    for obj in chain(session.new, session.dirty):
        new = obj in session.new
        if isinstance(obj, SHOWN):
            if not new and _changed(obj, "name"):
                (areas_renamed if isinstance(obj, Area) else systems_renamed).add(obj.id)
            continue
        for cls in entries.ROWS:
            if isinstance(obj, cls) and (new or session.is_modified(obj)):
                stale.add(cls, obj)
                rewritten.add(cls, obj)
                if cls is Plan and not new and _changed(obj, "title"):
                    plans_retitled.add(obj.id)
    if not (stale.ids or areas_renamed or systems_renamed):
        return
    conn = session.connection()
    if areas_renamed or systems_renamed:
        placed = Plan.area_id.in_(areas_renamed) | Plan.system_id.in_(systems_renamed)
        for ids in (stale.ids[Plan], rewritten.ids[Plan]):
            ids.update(conn.scalars(select(Plan.id).where(placed)))
    for cls in entries.QUOTING_PLAN if plans_retitled else ():
        quoting = select(cls.id).where(cls.plan_id.in_(plans_retitled))
        for found in (stale, rewritten):
            found.ids[cls].update(conn.scalars(quoting))
            found.plans[cls].update(plans_retitled)
    drop_entries(conn, stale.where())
    made = [row for cls, ids in rewritten.ids.items() for row in entries.rows_of(conn, cls, ids)]
    add_entries(conn, made)


event.listen(Session, "before_flush", _drop_removed_plans)
event.listen(Session, "after_flush", _write_flushed)
