"""Sizing made in the background with its progress, as a run is: the page that asks for a sizing
is answered at once with its progress, then its answer.

A sizing is nothing stored (it is a read), so its job lives only in the process making it: a
one-thread pool and a small registry of the latest jobs, each held by a random id the page
carries. A page served by another server process, or after a restart, finds no job and asks
again; that suits the demo's single process, as the run's progress does (see `runner`).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import FastAPI

from placeplan.capacity.service.sizing import SizingAsk, make_sizing
from placeplan.core.errors import InputError

KEPT = 50  # the latest jobs kept for their pages; older ones are asked again


@dataclass
class SizingJob:
    id: str
    model_id: int
    asked: dict[str, str]
    fraction: float = 0.0
    result: dict[str, Any] | None = None
    error: InputError | None = None
    failed: str | None = None  # an unexpected failure's message
    future: Future[None] | None = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None or self.failed is not None

    def seen(self) -> SizingJob:
        """The job as it is now, unchanging: the sizing thread may finish while a page is
        drawn, and a page that read "no answer yet" then "done" would show neither the bar nor
        the answer (and its script would stop asking)."""
        return replace(self)


class SizingJobs:
    """The app's background sizing: one at a time, the latest `KEPT` held for their pages."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capacity-sizing")
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, SizingJob] = OrderedDict()

    def start(self, ask: SizingAsk, asked: dict[str, str]) -> SizingJob:
        job = SizingJob(secrets.token_urlsafe(12), ask.model_id, dict(asked))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEPT:
                self._jobs.popitem(last=False)
            job.future = self.pool.submit(self._make, job, ask)
        return job

    def get(self, job_id: str, model_id: int) -> SizingJob | None:
        """The job `job_id`, if it is held and is of model `model_id`."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.model_id == model_id else None

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job is done; for tests."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None and job.future is not None:
            job.future.result(timeout=timeout)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _make(self, job: SizingJob, ask: SizingAsk) -> None:
        def progress(fraction: float) -> None:
            job.fraction = max(job.fraction, min(1.0, fraction))

        try:
            job.result = make_sizing(ask, progress)
        except InputError as exc:  # e.g. "sizing did not settle": the page says so
            job.error = exc
        except Exception as exc:  # noqa: BLE001 - shown on the page rather than lost in a thread
            job.failed = f"the sizing could not be made: {exc}"
        job.fraction = 1.0


_START_LOCK = threading.Lock()


def sizing_jobs_for(app: FastAPI) -> SizingJobs:
    """The app's sizing jobs (made on first use)."""
    jobs: SizingJobs | None = getattr(app.state, "capacity_sizing", None)
    if jobs is None:
        with _START_LOCK:
            jobs = getattr(app.state, "capacity_sizing", None)
            if jobs is None:
                jobs = SizingJobs()
                app.state.capacity_sizing = jobs
    return jobs
