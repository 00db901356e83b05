"""The one versioned-form flow every page that saves uses.

A save runs the service call, commits once, and sends the browser on (303). When the service
refuses (an InputError naming the field) or the record moved since the form was opened (a
Conflict), the transaction is rolled back and the page renders the form again with what the person
typed: 400 for a refusal, 409 for a conflict, so nothing they wrote is lost.

A JSON write route (an api.py) has no form to show again: it passes what its service call
returned through `committed`, which commits and hands it back to be presented, and a refusal
becomes its status code through the app's error handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict, TypeVar

from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.store.uow import as_conflict, commit
from placeplan.web.notices import with_notice

T = TypeVar("T")
V = TypeVar("V", bound=int | None)

Refused = InputError | Conflict


class Shown(TypedDict):
    """What a form (or a record's page) shown again after a refused save says: the InputError
    naming a field, or the Conflict with what moved; the other is None."""

    error: InputError | None
    conflict: Conflict | None


def form_version(form: FormData, name: str = "version") -> int | None:
    """The version of the record a form was opened at (a hidden field); None when absent, so the
    save is not checked against one."""
    value = str(form.get(name) or "")
    return int(value) if value.isdigit() else None


def required_version(form: FormData, name: str = "version") -> int:
    """The version a form editing a stored record was opened at: required, so no save of such a
    record goes ahead without the check (a form lacking it was not one of ours). The refusal
    names no field to link to: the version is a hidden field, nothing the person can correct."""
    version = form_version(form, name)
    if version is None:
        raise InputError(
            "the form did not say which version of the record it was opened at: reload the page "
            "and make the change again"
        )
    return version


def form_text(form: FormData, *names: str) -> dict[str, str]:
    """The named fields as typed (stripped of nothing), '' where absent: what a re-shown form
    puts back."""
    return {name: str(form.get(name) or "") for name in names}


def refusal(refused: Refused | None) -> Shown:
    """The refusal split for a template: `error` when the service refused what was typed,
    `conflict` when the record moved on since the form was opened (both None when nothing was
    refused)."""
    return {
        "error": refused if isinstance(refused, InputError) else None,
        "conflict": refused if isinstance(refused, Conflict) else None,
    }


def version_again(refused: Refused, started: V, current: V) -> V:
    """The version a form shown again carries: after a conflict the record's `current` one, so
    the next save goes ahead knowingly over the other change; after a refusal the one it was
    `started` at, so the check still holds."""
    return current if isinstance(refused, Conflict) else started


def committed(session: Session, value: T) -> T:
    """Commit the service call that produced `value` and give `value` back, to be presented: every
    JSON write route commits through this, once, after its service call and before its answer."""
    commit(session)
    return value


def save(
    session: Session,
    write: Callable[[], T],
    *,
    then: str | Callable[[T], str],
    again: Callable[[Refused, int], Response],
    notice: str | Callable[[T], str] = "Saved",
) -> Response:
    """Run `write`, commit, and redirect to `then` (or `then(result)`) saying `notice` there once;
    on a refusal roll back and
    answer `again(error, status)` (400 for InputError, 409 for Conflict)."""
    try:
        result = write()
        commit(session)
    except InputError as exc:
        session.rollback()
        return again(exc, 400)
    except (Conflict, StaleDataError, IntegrityError) as exc:
        session.rollback()
        conflict = as_conflict(exc)
        if conflict is None:
            raise
        return again(conflict, 409)
    url = then(result) if callable(then) else then
    said = notice(result) if callable(notice) else notice
    return with_notice(RedirectResponse(url, status_code=303), said)
