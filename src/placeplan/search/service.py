"""Search: keeping the index in step with the records, and reading it as the asker may.

The index is derived data. Every write to a findable record renews `search_revision`'s token in
the writer's transaction (models.search_revisions hooks the flush); a read compares that token
with the one the index was built from and, when they differ, rebuilds the index first and commits
it, under a row lock on PostgreSQL so two readers do not build it at once. Whatever the path of
a write (page, API, workbook, command line, demo loader), the next search sees it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session, selectinload

from placeplan.budget.models import Scheme
from placeplan.core.actor import Actor
from placeplan.core.codes import PLAN_KINDS
from placeplan.core.permissions import can_read_unpublished
from placeplan.delivery.models import DeliveryAction
from placeplan.measures.models import Metric
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.plans.service import period_of, readable_plan_ids
from placeplan.pledges.models import Pledge
from placeplan.search import domain
from placeplan.search.models import SearchEntry, SearchIndexState, search_revisions

STATE_ID = 1


def _short(value: str | None, limit: int = 160) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _plan_entries(session: Session) -> Iterator[SearchEntry]:
    plans = session.scalars(
        select(Plan).options(selectinload(Plan.area), selectinload(Plan.system))
    )
    for plan in plans:
        place = plan.area.name if plan.area else plan.system.name if plan.system else None
        kind = PLAN_KINDS.get(plan.kind, plan.kind)
        detail = ", ".join(p for p in (kind, place, period_of(plan).label) if p)
        yield SearchEntry(
            kind="plan",
            record_id=plan.id,
            plan_id=plan.id,
            title=plan.title,
            detail=detail,
            body=_join(plan.title, plan.summary, kind, place, period_of(plan).label),
            url=f"/plans/{plan.id}",
        )


def _plan_titles(session: Session) -> dict[int, str]:
    return {plan_id: title for plan_id, title in session.execute(select(Plan.id, Plan.title))}


def _record_entries(session: Session) -> Iterator[SearchEntry]:
    titles = _plan_titles(session)
    for s in session.scalars(select(Scheme)):
        yield SearchEntry(
            kind="scheme",
            record_id=s.id,
            plan_id=s.plan_id,
            title=s.name,
            detail=f"Scheme {s.ref} of {titles.get(s.plan_id, '')}",
            body=_join(s.ref, s.name, s.description),
            url=f"/schemes/{s.id}",
        )
    for a in session.scalars(select(DeliveryAction)):
        yield SearchEntry(
            kind="action",
            record_id=a.id,
            plan_id=a.plan_id,
            title=_short(a.we_will, 200),
            detail=f"Action {a.ref} of {titles.get(a.plan_id, '')}",
            body=_join(a.ref, a.we_will, a.i_will, " ".join(a.lead_organisations or [])),
            url=f"/plans/{a.plan_id}/delivery",
            public_url=f"/public/plans/{a.plan_id}",
        )
    for p in session.scalars(select(Pledge)):
        yield SearchEntry(
            kind="pledge",
            record_id=p.id,
            plan_id=p.plan_id,
            title=p.title,
            detail=f"Pledge {p.ref} of {titles.get(p.plan_id, '')}",
            body=_join(p.ref, p.title, p.statement, p.priority, p.description),
            url=f"/plans/{p.plan_id}/pledges/{p.ref}",
        )


def _reference_entries(session: Session) -> Iterator[SearchEntry]:
    for m in session.scalars(select(Metric)):
        yield SearchEntry(
            kind="metric",
            record_id=m.id,
            title=m.name,
            detail=_short(m.definition) or None,
            body=_join(m.name, m.definition, m.numerator, m.denominator, m.source),
            url=f"/metrics#metric-{m.id}",
        )
    for o in session.scalars(select(Organisation)):
        yield SearchEntry(
            kind="organisation",
            record_id=o.id,
            title=o.name,
            detail=_join(o.kind_label, o.ods_code),
            body=_join(o.name, o.kind_label, o.ods_code),
            url=f"/organisations/{o.id}",
        )


def rebuild(session: Session) -> int:
    """Make the index anew from the records, in the caller's transaction; the number of entries."""
    session.execute(delete(SearchEntry))
    entries = [
        *_plan_entries(session),
        *_record_entries(session),
        *_reference_entries(session),
    ]
    session.add_all(entries)
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM search_fts"))
        session.execute(
            text(
                "INSERT INTO search_fts (rowid, title, body) "
                "SELECT id, title, body FROM search_entries"
            )
        )
    return len(entries)


def is_current(session: Session) -> bool:
    state = session.get(SearchIndexState, STATE_ID)
    token = search_revisions.token(session, 1)
    return state is not None and state.built_token == token


def refresh(session: Session) -> bool:
    """Rebuild the index if a findable record was written since it was built, and commit; True
    if it was rebuilt. The state row is locked first, so a second reader waits and then finds the
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
    hits = []
    for entry_id in ids:
        entry, status = found[entry_id]
        hidden = readable is not None and entry.plan_id not in readable
        if entry.plan_id is not None and status != "published" and hidden:
            continue
        url = entry.url if internal else entry.public_url or entry.url
        hits.append(domain.Hit(entry.kind, entry.record_id, entry.title, entry.detail, url))
    return domain.grouped(hits[: domain.MAX_HITS])
