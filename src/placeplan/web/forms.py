"""The one versioned-form flow every page that saves uses.

A save runs the service call, commits once, and sends the browser on (303). When the service
refuses (an InputError naming the field) or the record moved since the form was opened (a
Conflict), the transaction is rolled back and the page renders the form again with what the person
typed: 400 for a refusal, 409 for a conflict, so nothing they wrote is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict, InputError
from placeplan.store.uow import commit

T = TypeVar("T")

Refused = InputError | Conflict


def form_version(form: FormData, name: str = "version") -> int | None:
    """The version of the record a form was opened at (a hidden field); None when absent, so the
    save is not checked against one."""
    value = str(form.get(name) or "")
    return int(value) if value.isdigit() else None


def form_text(form: FormData, *names: str) -> dict[str, str]:
    """The named fields as typed (stripped of nothing), '' where absent: what a re-shown form
    puts back."""
    return {name: str(form.get(name) or "") for name in names}


def save(
    session: Session,
    write: Callable[[], T],
    *,
    then: str | Callable[[T], str],
    again: Callable[[Refused, int], Response],
) -> Response:
    """Run `write`, commit, and redirect to `then` (or `then(result)`); on a refusal roll back and
    answer `again(error, status)` (400 for InputError, 409 for Conflict)."""
    try:
        result = write()
        commit(session)
    except Conflict as exc:
        session.rollback()
        return again(exc, 409)
    except InputError as exc:
        session.rollback()
        return again(exc, 400)
    url = then(result) if callable(then) else then
    return RedirectResponse(url, status_code=303)
