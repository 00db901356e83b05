"""Runs made in the background: a run started from a page or the API is recorded `queued` and made
by a small in-process worker, so no request waits for the simulation.

The worker is a one-thread `concurrent.futures` pool owned by the app (started by `lifespan`,
or on first use when the app was not started through its lifespan, as in some tests). One thread
because the machine's cores are better spent on one run at a time, and the engine's own numpy
calls release the GIL for most of their work, so pages stay responsive meanwhile.

The run row goes `queued` -> `running` -> `finished` (with its results) or `failed` (with the
error message), each change committed and audited under the action that queued it. Progress
(replications done of the total, in steps of the engine's own batches and blocks) is kept in a
process-local registry: it is seen only by the process making the run. That suits the demo's
single process; with several server processes, a page served by another one shows the status
from the database without the progress figures, and a run left `queued` or `running` by a
process that stopped stays so (start it again).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from placeplan.capacity.models import CapacityRun
from placeplan.capacity.service import runs as service
from placeplan.core.actor import Actor
from placeplan.store.uow import commit


@dataclass(frozen=True)
class RunProgress:
    done: int
    total: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "done": self.done,
            "total": self.total,
            "fraction": round(self.done / self.total, 4) if self.total else 0.0,
        }


class Runner:
    """The app's background worker for capacity runs, and where their progress is kept."""

    def __init__(self, sessions: sessionmaker[Session], workers: int = 1) -> None:
        self.sessions = sessions
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="capacity-run")
        self._lock = threading.Lock()
        self._progress: dict[int, RunProgress] = {}
        self._futures: dict[int, Future[None]] = {}

    def submit(self, run_id: int, total: int, actor: Actor) -> Future[None]:
        """Make the (committed, queued) run `run_id` in the background."""
        with self._lock:
            self._progress[run_id] = RunProgress(0, total)
            future = self.pool.submit(self._make, run_id, actor)
            self._futures[run_id] = future
        return future

    def progress(self, run_id: int) -> RunProgress | None:
        with self._lock:
            return self._progress.get(run_id)

    def wait(self, run_id: int, timeout: float | None = None) -> None:
        """Block until the run is made (finished or failed); for the CLI and tests."""
        with self._lock:
            future = self._futures.get(run_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _set(self, run_id: int, done: int, total: int) -> None:
        with self._lock:
            self._progress[run_id] = RunProgress(done, total)

    def _make(self, run_id: int, actor: Actor) -> None:
        try:
            make(self.sessions, run_id, actor, lambda done, total: self._set(run_id, done, total))
        finally:
            with self._lock:
                self._progress.pop(run_id, None)
                self._futures.pop(run_id, None)


def make(
    sessions: sessionmaker[Session],
    run_id: int,
    actor: Actor,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Make one queued run in its own sessions: running, then finished or failed.

    `on_progress(done, total)` hears replications done, from the engine's progress callback."""
    with sessions() as session:
        row = session.get(CapacityRun, run_id)
        if row is None or row.status != service.QUEUED:
            return  # gone, or already made by another worker
        total = row.replications
        service.mark_running(session, actor, row)
        commit(session)

        def progress(fraction: float) -> None:
            if on_progress is not None:
                on_progress(min(total, int(fraction * total)), total)

        try:
            service.execute_run(session, actor, row, progress)
            commit(session)
            return
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the run, not lost
            message = service.failure_message(exc)
            session.rollback()
    with sessions() as session:
        row = session.get(CapacityRun, run_id)
        if row is not None:
            service.mark_failed(session, actor, row, message)
            commit(session)


def progress_of(runner: Runner, run: CapacityRun) -> dict[str, Any] | None:
    """Replications done of the total: known for queued and made runs, and for a running one in
    the process making it (the runner's registry is process-local)."""
    if run.status == service.QUEUED:
        return {"done": 0, "total": run.replications, "fraction": 0.0}
    if run.status == service.FINISHED:
        return {"done": run.replications, "total": run.replications, "fraction": 1.0}
    if run.status == service.RUNNING:
        found = runner.progress(run.id)
        return found.as_dict() if found else None
    return None


def runner_for(app: FastAPI) -> Runner:
    """The app's runner (made on first use if the app was not started through `lifespan`)."""
    runner: Runner | None = getattr(app.state, "capacity_runner", None)
    if runner is None:
        with _START_LOCK:
            runner = getattr(app.state, "capacity_runner", None)
            if runner is None:
                runner = Runner(app.state.sessions)
                app.state.capacity_runner = runner
    return runner


_START_LOCK = threading.Lock()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the capacity runner with the app and stop it (dropping queued runs) at shutdown."""
    runner = runner_for(app)
    try:
        yield
    finally:
        runner.shutdown()
        app.state.capacity_runner = None
        sizing = getattr(app.state, "capacity_sizing", None)
        if sizing is not None:
            sizing.shutdown()
            app.state.capacity_sizing = None
