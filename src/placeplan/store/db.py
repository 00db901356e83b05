"""Engines for SQLite (embedded, WAL) and PostgreSQL, and a check that the database answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from placeplan.core.errors import DatabaseUnreachable


def mask_url(url: str | URL) -> str:
    """The URL as it may be printed: any password replaced by ***."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def check_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # any driver failure means the same thing to the person starting us
        reason = (
            str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            if str(exc)
            else type(exc).__name__
        )
        raise DatabaseUnreachable(
            f"cannot reach the database at {mask_url(engine.url)}: {reason}"
        ) from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Every mapped class must be known before the first flush resolves foreign keys, whichever
    # command or page happened to import only some of them.
    import placeplan.store.registry  # noqa: F401

    return sessionmaker(engine, expire_on_commit=False)
