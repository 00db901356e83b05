"""The audit log's hash chain: every event links to the one before, a change or a removal is
found and named, concurrent writers keep one chain, and on PostgreSQL the application's role
cannot rewrite the log."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from placeplan.core.actor import operator
from placeplan.store import audit
from placeplan.store.audit_verify import verify_chain
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work


def _write(sessions, n: int, label: str = "x") -> None:
    with unit_of_work(sessions) as s:
        actor = operator("test")
        for i in range(n):
            audit.record(s, actor, "create", "thing", i + 1, None, {"name": f"{label}{i}"})
        audit.record_many(s, actor, [("create", "thing", 99, None, {"name": label})])


def _ids(engine) -> list[int]:
    with engine.connect() as c:
        return list(c.execute(text("SELECT id FROM audit_events ORDER BY id")).scalars())


def _tamper(engine, statement: str) -> None:
    with engine.begin() as c:
        if engine.dialect.name == "sqlite":
            c.execute(text("DROP TRIGGER audit_events_no_update"))
            c.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            c.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        c.execute(text(statement))
        if engine.dialect.name != "sqlite":
            c.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def test_an_untouched_log_verifies(sessions):
    _write(sessions, 3)
    _write(sessions, 2, "y")
    with sessions() as s:
        report = verify_chain(s)
    assert report.intact and report.checked == 3 + 1 + 2 + 1  # record() calls, then record_many


def test_a_changed_event_is_named(sessions, engine):
    _write(sessions, 5)
    third = _ids(engine)[2]
    _tamper(engine, f"UPDATE audit_events SET actor = 'someone else' WHERE id = {third}")
    with sessions() as s:
        report = verify_chain(s)
    assert report.broken_at == third and report.checked == 2
    assert "changed after it was written" in (report.problem or "")


def test_a_removed_event_breaks_the_next_link(sessions, engine):
    _write(sessions, 5)
    ids = _ids(engine)
    _tamper(engine, f"DELETE FROM audit_events WHERE id = {ids[1]}")
    with sessions() as s:
        report = verify_chain(s)
    assert report.broken_at == ids[2] and "does not follow" in (report.problem or "")


def test_removing_the_newest_events_is_found(sessions, engine):
    _write(sessions, 4)
    _tamper(engine, f"DELETE FROM audit_events WHERE id = {_ids(engine)[-1]}")
    with sessions() as s:
        report = verify_chain(s)
    assert not report.intact and report.broken_at is None


def test_concurrent_writers_keep_one_chain(engine):
    # Eight threads, each with its own connection, each writing 10 actions of 2 events.
    sessions = session_factory(engine)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for j in range(10):
                _write(sessions, 1, f"w{k}-{j}-")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sessions() as s:
        report = verify_chain(s)
    assert report.intact and report.checked == 8 * 10 * 2


def test_the_application_role_may_only_append_to_the_log(migrated_postgres):
    engine = migrated_postgres
    _write(session_factory(engine), 1)
    with engine.begin() as c:
        c.execute(text("SET LOCAL ROLE placeplan_app"))
        c.execute(
            text(
                "INSERT INTO audit_events (action_id, at, actor, via, action, entity_kind, entity_id)"
                " VALUES ('x', CURRENT_TIMESTAMP, 'x', 'cli', 'test', 'thing', 1)"
            )
        )
        c.execute(text("SELECT count(*) FROM audit_events"))
        c.execute(text("UPDATE users SET display_name = display_name"))
    for statement in (
        "UPDATE audit_events SET actor = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
        "DELETE FROM plan_snapshots",
    ):
        with pytest.raises(Exception, match="permission denied|must be owner"), engine.begin() as c:
            c.execute(text("SET LOCAL ROLE placeplan_app"))
            c.execute(text(statement))


def test_a_fresh_engine_sees_the_chain_head(engine):
    # The head lives in the database, not in a process: a second engine continues the chain.
    _write(session_factory(engine), 2)
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        _write(session_factory(other), 2)
    finally:
        other.dispose()
    with session_factory(engine)() as s:
        assert verify_chain(s).intact
