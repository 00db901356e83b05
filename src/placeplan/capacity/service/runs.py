"""Runs of a capacity model: queued (made by the background runner, `service.runner`) or made at
once, then finished (the report, costs in pence) or failed (the message)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplan.capacity.domain import report
from placeplan.capacity.domain.engine import Progress
from placeplan.capacity.domain.engine import run as run_engine
from placeplan.capacity.domain.report import finite
from placeplan.capacity.models import CapacityRun
from placeplan.capacity.service.money import costs_in_pence
from placeplan.capacity.service.stored import _require_edit, get_model, validate
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, TooManyAttempts
from placeplan.store.audit import AuditEvent
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded

DEFAULT_REPLICATIONS = 1000
DEFAULT_SEED = 1
MAX_WEB_REPLICATIONS = 10_000  # runs are made one at a time in the background: about 15 s at most

# a run's status: queued (recorded, waiting for the runner), running, then finished or failed
QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
ACTIVE = (QUEUED, RUNNING)
# Runs waiting or running at once: per person, and for the whole server (one runner thread
# makes them one at a time, so a longer queue only makes everyone wait).
MAX_ACTIVE_PER_USER = 3
MAX_ACTIVE = 20
RETRY_SECONDS = 30


def _require_room(session: Session, actor: Actor) -> None:
    """Refuse a run past the limits at once (429), naming which limit."""
    active = select(func.count()).select_from(CapacityRun).where(CapacityRun.status.in_(ACTIVE))
    if (session.scalar(active) or 0) >= MAX_ACTIVE:
        raise TooManyAttempts(
            f"{MAX_ACTIVE} model runs are already waiting or running: try again when one "
            "has finished",
            RETRY_SECONDS,
        )
    if actor.user_id is None:
        return
    # Who queued a run is in the audit: the event that created it.
    mine = active.join(
        AuditEvent,
        (AuditEvent.entity_kind == "capacity_run")
        & (AuditEvent.entity_id == CapacityRun.id)
        & (AuditEvent.action == "create"),
    ).where(AuditEvent.actor_user_id == actor.user_id)
    if (session.scalar(mine) or 0) >= MAX_ACTIVE_PER_USER:
        raise TooManyAttempts(
            f"you already have {MAX_ACTIVE_PER_USER} model runs waiting or running: "
            "try again when one has finished",
            RETRY_SECONDS,
        )


def queue_run(
    session: Session,
    actor: Actor,
    model_id: int,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
) -> CapacityRun:
    """Record a run to be made (status `queued`) with the scenario as it is now. Bad input writes
    nothing; `execute_run` (in the background runner) makes it."""
    row = _new_run(session, actor, model_id, replications, seed)
    _require_room(session, actor)
    return add_recorded(session, actor, "capacity_run", row)


def _new_run(
    session: Session, actor: Actor, model_id: int, replications: int, seed: int
) -> CapacityRun:
    model = get_model(session, actor, model_id)
    _require_edit(actor, model.plan)
    if not 1 <= replications <= MAX_WEB_REPLICATIONS:
        raise InputError(
            f"replications run from 1 to {MAX_WEB_REPLICATIONS:,}", field="replications"
        )
    if seed < 0 or seed > 2**31 - 1:
        raise InputError("the seed is a whole number from 0 to 2147483647", field="seed")
    validate(model.scenario_yaml)
    row = CapacityRun(
        model_id=model.id,
        scenario_yaml=model.scenario_yaml,
        replications=replications,
        seed=seed,
        results=None,
        status=QUEUED,
        started_at=utcnow(),
        finished_at=None,
        elapsed_seconds=None,
    )
    return row


def mark_running(session: Session, actor: Actor, row: CapacityRun) -> None:
    # permission was checked when the run was queued; the runner acts for whoever queued it
    update_recorded(
        session, actor, "capacity_run", row, {"status": RUNNING, "started_at": utcnow()}
    )


def execute_run(
    session: Session, actor: Actor, row: CapacityRun, progress: Progress | None = None
) -> CapacityRun:
    """Simulate a queued run and store its report (costs in pence), status `finished`.

    Raises whatever the engine raises; the caller records the failure (`mark_failed`) in a fresh
    transaction, so a half-made result is never stored."""
    update_recorded(session, actor, "capacity_run", row, _made(row, progress))
    return row


def _made(row: CapacityRun, progress: Progress | None) -> dict[str, Any]:
    scenario = validate(row.scenario_yaml)
    result = run_engine(scenario, replications=row.replications, seed=row.seed, progress=progress)
    return {
        "status": FINISHED,
        "results": costs_in_pence(finite(report.as_dict(result))),
        "finished_at": utcnow(),
        "elapsed_seconds": round(result.elapsed_seconds, 3),
    }


def mark_failed(session: Session, actor: Actor, row: CapacityRun, message: str) -> None:
    """A run that could not be made: status `failed`, its message kept in `results` (the table has
    no error column and its migration is not ours to add)."""
    update_recorded(
        session,
        actor,
        "capacity_run",
        row,
        {"status": FAILED, "results": {"error": {"message": message}}, "finished_at": utcnow()},
    )


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def run_error(row: CapacityRun) -> str | None:
    if row.status != FAILED:
        return None
    error = (row.results or {}).get("error") or {}
    return str(error.get("message") or "the run failed")


def run_model(
    session: Session,
    actor: Actor,
    model_id: int,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> CapacityRun:
    """Make a run at once, in the caller's transaction (scripts, the demo, tests): one audited
    creation of the finished run. Bad input writes nothing; an engine failure propagates."""
    row = _new_run(session, actor, model_id, replications, seed)
    for key, value in _made(row, progress).items():
        setattr(row, key, value)
    return add_recorded(session, actor, "capacity_run", row)


def require_made(row: CapacityRun) -> CapacityRun:
    """The run, if it is finished; its results are asked for (a CSV) before it has any: refused."""
    if row.status != FINISHED:
        raise InputError("this run has no results yet", field="run")
    return row
