"""Search after an edit: the cost a write adds and the first search that follows it.

Run as `.venv/bin/python benchmarks/search.py [--url URL] [--rounds N]`. Without --url it loads
the LLR demo into a temporary SQLite file; with one (e.g. the national PostgreSQL database) it
only reads it: each step runs in a transaction that is rolled back. A database whose index is
built (`placeplan search reindex`, then ANALYZE) is measured as it is in use; one whose index is
not is built inside the transaction first, and PostgreSQL then reads rows it has no statistics for
by a scan rather than the GIN index, so its searches are slower than in use.

Each round renames the plan with most schemes and flushes (the write, timed), then
searches for the new name as the operator (the first search after the write, timed). Where the
search service keeps the index in step with each write (it has `reindex`), that search reads the
index as it stands; where it does not (the code before), the first search after any write rebuilds
the whole index, so the round runs that rebuild as its `refresh` would, without committing.
Prints medians in milliseconds. Reports only.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplan.app.wiring import wire
from placeplan.budget.models import Scheme
from placeplan.core.actor import operator
from placeplan.plans.models import Plan
from placeplan.search import service
from placeplan.search.models import SearchIndexState, search_revisions
from placeplan.store.db import make_engine, session_factory
from placeplan.store.migrate import upgrade

IN_STEP = hasattr(service, "reindex")


def _mark_built(session: Session) -> None:
    """What `refresh` does after a rebuild, without its commit."""
    state = session.get(SearchIndexState, service.STATE_ID)
    if state is None:
        state = SearchIndexState(id=service.STATE_ID)
        session.add(state)
    state.built_token = search_revisions.token(session, 1)
    session.flush()


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:8.1f} ms"


def measure(url: str, rounds: int) -> None:
    engine = make_engine(url)
    actor = operator()
    with session_factory(engine)() as s:
        started = time.perf_counter()
        entries = service.rebuild(s)
        whole = time.perf_counter() - started
        s.rollback()
    with session_factory(engine)() as s:
        if not service.is_current(s):  # built here, uncommitted: slower to read than committed
            service.rebuild(s)
            _mark_built(s)
        # The plan with the most schemes: its title is quoted in most other entries.
        plan_id = s.scalar(
            select(Plan.id)
            .join(Scheme, Scheme.plan_id == Plan.id)
            .group_by(Plan.id)
            .order_by(func.count().desc(), Plan.id)
            .limit(1)
        )
        assert plan_id is not None, "no plan with schemes"
        writes, searches, scheme_writes = [], [], []
        scheme = s.scalars(select(Scheme).where(Scheme.plan_id == plan_id)).first()
        assert scheme is not None
        for i in range(rounds):
            plan = s.get(Plan, plan_id)
            assert plan is not None
            started = time.perf_counter()
            plan.title = f"Zanzibar plan {i}"
            s.flush()
            writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            if not IN_STEP:
                service.rebuild(s)
                _mark_built(s)
            found = service.search(s, actor, "zanzibar")
            searches.append(time.perf_counter() - started)
            assert [h.title for g in found for h in g.hits if g.kind == "plan"] == [
                f"Zanzibar plan {i}"
            ]
            started = time.perf_counter()
            scheme.description = f"Round {i}"
            s.flush()
            scheme_writes.append(time.perf_counter() - started)
        s.rollback()
    engine.dispose()
    code = "kept in step by each write" if IN_STEP else "rebuilt on first search after a write"
    print(f"{url.split('@')[-1]}  ({code}; {entries} entries, {rounds} rounds, medians)")
    print(f"  whole rebuild (once)          {whole * 1000:8.1f} ms")
    print(f"  rename a plan + flush         {_ms(writes)}")
    print(f"  a scheme's description+flush  {_ms(scheme_writes)}")
    print(f"  first search after the edit   {_ms(searches)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a database to read (default: the demo on SQLite)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    wire()
    if args.url:
        measure(args.url, args.rounds)
        return
    from placeplan.demo.loader import load_demo

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        load_demo(session_factory(engine))
        engine.dispose()
        measure(url, args.rounds)


if __name__ == "__main__":
    main()
