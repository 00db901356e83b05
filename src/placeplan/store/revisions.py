"""Revision tokens and the one bounded cache keyed by them.

A concept whose computed views are costly (a budget's summary, the measures board, a delivery
plan's highlight report) keeps a table of random tokens, one per scope (a plan, or the whole
concept). Any write in scope gives the scope a fresh token in the writer's transaction, so a view
computed under a token can be reused by any process until the token changes. This module is the
one way to renew, read and reuse against those tokens.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

T = TypeVar("T")


class Revisions:
    """The tokens of one revision table: `model` has a primary-key column `key` and a `token`.

    `tracked` names the mapped classes whose writes renew a scope's token; `scope_of` says which
    scope an instance belongs to (None for none). Tracking hooks the ORM's flush, so every write
    path renews the token without each service function having to remember it.
    """

    def __init__(
        self,
        model: type[Any],
        key: str,
        tracked: Iterable[type[Any]] = (),
        scope_of: Callable[[Any], Hashable | None] | None = None,
    ) -> None:
        self.model = model
        self.key = key
        self.tracked = tuple(tracked)
        self.scope_of = scope_of
        if self.tracked:
            event.listen(Session, "before_flush", self._renew_flushed)

    def renew(self, session: Session, scopes: Iterable[Hashable]) -> None:
        """Give each scope a new token, in the caller's transaction. One upsert per scope, so two
        transactions writing a never-touched scope at once both succeed (the later token wins)."""
        insert = (
            postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        key = getattr(self.model, self.key)
        with session.no_autoflush:
            for scope in sorted(set(scopes), key=repr):  # one order, so concurrent writers queue
                statement = insert(self.model).values({self.key: scope, "token": uuid.uuid4().hex})
                session.execute(
                    statement.on_conflict_do_update(
                        index_elements=[key], set_={"token": statement.excluded.token}
                    )
                )

    def token(self, session: Session, scope: Hashable) -> str | None:
        """The scope's current token; None before its first write."""
        column = getattr(self.model, self.key)
        token: str | None = session.scalar(select(self.model.token).where(column == scope))
        return token

    def _renew_flushed(self, session: Session, _context: object, _instances: object) -> None:
        scope_of = self.scope_of or (lambda obj: None)
        scopes = {
            scope_of(obj)
            for obj in (*session.new, *session.dirty, *session.deleted)
            if isinstance(obj, self.tracked)
        }
        scopes.discard(None)
        if scopes:
            self.renew(session, scopes)


class ReuseCache(Generic[T]):
    """Values computed under a revision token, reused while the token stands and for at most
    `ttl` seconds, the least recently used dropped past `size` entries.

    The key should name the database (its URL), the scope and whatever else the value depends on;
    the token is checked separately so a stale entry is replaced rather than kept beside the new.
    Nothing is kept for a scope without a token yet (it has never been written).
    """

    def __init__(self, size: int, ttl: float) -> None:
        self.size = size
        self.ttl = ttl
        self._entries: OrderedDict[Hashable, tuple[str, float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, token: str | None, make: Callable[[], T]) -> T:
        if token is None:
            return make()
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == token and now - hit[1] < self.ttl:
                self._entries.move_to_end(key)
                return hit[2]
        made = make()
        with self._lock:
            self._entries[key] = (token, now, made)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
