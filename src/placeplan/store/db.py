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


def make_engine(
    url: str,
    connect_timeout: int = 3,
    pool_timeout: int = 3,
    statement_timeout_ms: int = 30_000,
    **kwargs: Any,
) -> Engine:
    """An engine for `url`. On PostgreSQL every wait is bounded, so a database that stops
    answering costs a request seconds, not minutes: connecting (`connect_timeout`), waiting for
    a pooled connection (`pool_timeout`), a statement (`statement_timeout_ms`, on the server) and
    a link that stops acknowledging (libpq's TCP user timeout and keepalives, on the client,
    which also bound the pool's pre-ping). Settings.engine_options gives them from settings."""
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
    kwargs.setdefault("pool_timeout", pool_timeout)
    connect_args = {
        "connect_timeout": connect_timeout,
        "options": f"-c statement_timeout={statement_timeout_ms}",
        "tcp_user_timeout": connect_timeout * 1000,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 1,
        "keepalives_count": 2,
    } | kwargs.pop("connect_args", {})
    return create_engine(parsed, connect_args=connect_args, **kwargs)


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
