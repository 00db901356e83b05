"""Search: reading the index as the asker may, and building it whole when it must be.

Each write keeps the index's rows in step in its own transaction (models' flush hook), so a
search reads the index as it stands. The index is built whole only when it was never built from
the revision's token (a new database, one whose index an older version wrote, or after
`placeplan search reindex` or a migration renews the token): the first search then rebuilds it
and commits, under a row lock on PostgreSQL so two readers do not build it at once.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.permissions import can_read_unpublished
from placeplan.plans.models import Plan
from placeplan.plans.service import readable_plan_ids
from placeplan.search import domain, entries
from placeplan.search.models import (
    SearchEntry,
    SearchIndexState,
    add_entries,
    search_revisions,
)

STATE_ID = 1


def rebuild(session: Session) -> int:
    """Make the index anew from the records, in the caller's transaction; the number of entries."""
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM search_fts"))
    conn.execute(delete(SearchEntry))
    return add_entries(conn, entries.all_rows(conn))


def is_current(session: Session) -> bool:
    state = session.get(SearchIndexState, STATE_ID)
    token = search_revisions.token(session, 1)
    return state is not None and state.built_token == token


def refresh(session: Session) -> bool:
    """Rebuild the index whole if it was not built from the revision's token, and commit; True if
    it was rebuilt. The state row is locked first, so a second reader waits and then finds the
    index current."""
    if is_current(session):
        return False
    state = session.get(SearchIndexState, STATE_ID, with_for_update=True)
    token = search_revisions.token(session, 1)
    if state is not None and state.built_token == token:
        session.rollback()
        return False
    if state is None:
        state = SearchIndexState(id=STATE_ID)
        session.add(state)
    rebuild(session)
    state.built_token = token
    session.commit()
    return True


def reindex(session: Session) -> int:
    """Build the whole index anew now and commit; the number of entries. The token is renewed
    first, so the rebuild happens whatever the index held."""
    search_revisions.renew(session, [1])
    session.flush()
    refresh(session)
    return session.scalar(select(func.count()).select_from(SearchEntry)) or 0


def _matching(session: Session, query: str) -> list[int]:
    """The ids of the entries matching the words, best first."""
    if session.get_bind().dialect.name == "sqlite":
        match = domain.fts5_match(query)
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY bm25(search_fts, 4.0, 1.0) LIMIT :n"
    else:
        match = domain.tsquery(query)
        sql = (
            "SELECT id FROM search_entries WHERE to_tsvector('english', title || ' ' || body) "
            "@@ to_tsquery('english', :q) ORDER BY ts_rank(setweight(to_tsvector('english', title), 'A') "
            "|| to_tsvector('english', body), to_tsquery('english', :q)) DESC, id LIMIT :n"
        )
    if match is None:
        return []
    return list(session.scalars(text(sql), {"q": match, "n": domain.MAX_HITS * 4}))


def search(session: Session, actor: Actor, query: str) -> list[domain.Group]:
    """What the asker may see that matches the words, grouped by kind, best first in each;
    signed-out readers see only published plans and their records, and public pages."""
    refresh(session)
    ids = _matching(session, query)
    if not ids:
        return []
    internal = can_read_unpublished(actor)
    readable = readable_plan_ids(session, actor)
    rows = session.execute(
        select(SearchEntry, Plan.status)
        .outerjoin(Plan, Plan.id == SearchEntry.plan_id)
        .where(SearchEntry.id.in_(ids))
    ).all()
    found = {entry.id: (entry, status) for entry, status in rows}
    hits: list[domain.Hit] = []
    seen: set[tuple[str, int]] = set()
    for entry_id in ids:
        if entry_id not in found:  # removed by a write committed since the match was read
            continue
        entry, status = found[entry_id]
        # Two writers at once (a plan renamed while one of its schemes is edited) can each
        # rewrite the same record's entry; the next write to it, or a reindex, leaves one.
        if (entry.kind, entry.record_id) in seen:
            continue
        seen.add((entry.kind, entry.record_id))
        hidden = readable is not None and entry.plan_id not in readable
        if entry.plan_id is not None and status != "published" and hidden:
            continue
        url = entry.url if internal else entry.public_url or entry.url
        hits.append(domain.Hit(entry.kind, entry.record_id, entry.title, entry.detail, url))
    return domain.grouped(hits[: domain.MAX_HITS])
