"""Transactions: one user action, one commit, audit rows included; a lost race becomes a Conflict."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from placeplan.core.errors import Conflict
from placeplan.store import audit

RACE_LOST = "someone else saved this record at the same moment; reload it and try again"


def as_conflict(exc: BaseException) -> Conflict | None:
    """The one translation of a lost race into the Conflict answer (409): a versioned UPDATE that
    matched no row (StaleDataError: another save took the version first) or an INSERT that broke
    a unique key (two first saves of the same record, such as a period's commentary); None for
    anything else."""
    if isinstance(exc, Conflict):
        return exc
    if isinstance(exc, StaleDataError) or (isinstance(exc, IntegrityError) and _unique(exc)):
        return Conflict(RACE_LOST, current_version=-1)
    return None


def _unique(exc: IntegrityError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL: unique_violation
        return True
    return "UNIQUE constraint failed" in str(orig)  # SQLite


def flush(session: Session) -> None:
    """Flush; a lost race becomes a Conflict here, where the row is written."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as exc:
        conflict = as_conflict(exc)
        if conflict is None:
            raise
        raise conflict from exc


def commit(session: Session) -> None:
    """Commit; a save that lost a race to another at the same moment becomes a Conflict."""
    try:
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        conflict = as_conflict(exc)
        if conflict is None:
            raise
        raise conflict from exc


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session:
        try:
            yield session
            commit(session)
        except BaseException:
            session.rollback()
            raise


def check_version(
    session: Session, obj: Any, kind: str, expected_version: int | None, fields: list[str]
) -> None:
    """Refuse a save made from a stale version, saying which fields moved since."""
    if expected_version is None or expected_version == obj.version:
        return
    started = audit.state_at_version(session, kind, obj.id, expected_version)
    raise Conflict(
        f"this {kind.replace('_', ' ')} was changed by someone else since you opened it"
        f" (you started from version {expected_version}; it is now at version {obj.version})",
        current_version=obj.version,
        changes=audit.changed_fields(started, audit.state_of(obj), fields),
    )
