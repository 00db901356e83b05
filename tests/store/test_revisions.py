"""store.revisions: the one revision-token mechanism and the one cache keyed by it."""

from __future__ import annotations

import threading
import time

import pytest

from placeplan.budget.models import BudgetRevision
from placeplan.store.revisions import ReuseCache, Revisions
from tests.factories import build_world


def test_a_value_is_reused_while_its_token_stands_and_made_again_when_it_changes() -> None:
    cache: ReuseCache[int] = ReuseCache(size=4, ttl=60)
    made = []

    def make() -> int:
        made.append(1)
        return len(made)

    assert cache.get_or_make("plan 1", "a", make) == 1
    assert cache.get_or_make("plan 1", "a", make) == 1  # reused: made once
    assert cache.get_or_make("plan 1", "b", make) == 2  # a write gave a new token
    assert len(cache) == 1  # the stale entry was replaced, not kept beside the new


def test_nothing_is_kept_for_a_scope_without_a_token() -> None:
    cache: ReuseCache[int] = ReuseCache(size=4, ttl=60)
    assert cache.get_or_make("plan 1", None, lambda: 1) == 1
    assert cache.get_or_make("plan 1", None, lambda: 2) == 2
    assert len(cache) == 0


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache: ReuseCache[str] = ReuseCache(size=2, ttl=60)
    cache.get_or_make("a", "t", lambda: "A")
    cache.get_or_make("b", "t", lambda: "B")
    cache.get_or_make("a", "t", lambda: "A again")  # a is used, so b is the oldest
    cache.get_or_make("c", "t", lambda: "C")
    assert len(cache) == 2
    assert cache.get_or_make("a", "t", lambda: "A made again") == "A"
    assert cache.get_or_make("b", "t", lambda: "B made again") == "B made again"


def test_an_entry_older_than_its_ttl_is_made_again() -> None:
    cache: ReuseCache[int] = ReuseCache(size=2, ttl=0.05)
    cache.get_or_make("a", "t", lambda: 1)
    time.sleep(0.06)
    assert cache.get_or_make("a", "t", lambda: 2) == 2


def test_renewing_gives_a_new_token_and_two_first_writes_at_once_both_succeed(sessions) -> None:
    """Two transactions renewing a scope that has no token yet: with a read-then-insert the second
    would fail on the primary key; the upsert makes it wait for the first and then win."""
    world = build_world(sessions)
    revisions = Revisions(BudgetRevision, "plan_id")
    with sessions() as first, sessions() as second:
        revisions.renew(first, [world.plan_id])
        failures: list[BaseException] = []

        def renew_second() -> None:
            try:
                revisions.renew(second, [world.plan_id])
                second.commit()
            except BaseException as exc:  # reported below, in the test's thread
                failures.append(exc)

        # On SQLite the second writer waits for the database lock, on PostgreSQL for the row.
        thread = threading.Thread(target=renew_second)
        thread.start()
        time.sleep(0.2)
        first.commit()
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert failures == []
    with sessions() as s:
        token = revisions.token(s, world.plan_id)
        assert token is not None and len(token) == 32
        revisions.renew(s, [world.plan_id])
        assert revisions.token(s, world.plan_id) != token


@pytest.mark.parametrize("scopes", [[], [None]])
def test_renewing_nothing_writes_nothing(sessions, scopes) -> None:
    revisions = Revisions(BudgetRevision, "plan_id")
    with sessions() as s:
        revisions.renew(s, [scope for scope in scopes if scope is not None])
        assert s.query(BudgetRevision).count() == 0
