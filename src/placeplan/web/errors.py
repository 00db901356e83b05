"""Error pages and answers.

A browser (any path outside /api/) gets an NHS.UK-style page for every refusal: what happened,
what to do, and a link back. The API answers one JSON shape for every status, `ErrorAnswer`:
`{"error": {"message", "field", "expected", ...}}`, a request that does not parse (FastAPI's 422)
included, so no raw validation detail reaches anyone.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from placeplan.core.actor import ANONYMOUS
from placeplan.core.errors import (
    Conflict,
    Forbidden,
    InputError,
    NotFound,
    SignInNeeded,
    TooManyAttempts,
)
from placeplan.store.uow import as_conflict
from placeplan.web.context import SESSION_COOKIE, Who, actor_for_session
from placeplan.web.templating import templates

log = logging.getLogger(__name__)


class Problem(BaseModel):
    """One thing wrong with a request: the field (as the API names it), what was expected."""

    message: str
    field: str | None = None
    expected: str | None = None


class ErrorBody(BaseModel):
    """What went wrong. `field` and `expected` name the first bad field of a request; `problems`
    lists every one (422). An upload's refusal names its `file`, `sheet` and `row`; a conflict
    (409) gives the record's `current_version` and each changed field as {"yours", "now"}."""

    message: str
    field: str | None = None
    expected: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    problems: list[Problem] | None = None
    current_version: int | None = None
    changes: dict[str, dict[str, Any]] | None = None


class ErrorAnswer(BaseModel):
    """Every JSON error answer of the API, whatever its status."""

    error: ErrorBody


ERROR_ANSWERS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorAnswer, "description": description}
    for status, description in (
        (400, "The request was refused: nothing was written; the message names the field"),
        (401, "Sign in or send an API token"),
        (403, "The caller may not do this"),
        (404, "No such record, or not one the caller may see"),
        (409, "The record changed since the version sent: nothing was written"),
        (413, "The request body is larger than this address accepts: nothing was read"),
        (422, "The request did not parse: each problem names its field and what was expected"),
        (503, "The database cannot be reached just now: nothing was written; try again"),
    )
}

# Status: (page title, what to do).
PAGES: dict[int, tuple[str, str]] = {
    400: (
        "There is a problem",
        "Nothing was changed. Check the address, or go back and check what you entered.",
    ),
    401: ("Sign in needed", "Sign in to see this page."),
    403: (
        "You cannot do that",
        "Your account does not allow this. If you think it should, ask an administrator of "
        "your organisation.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied "
        "the whole address. A record that is not published yet is shown only to people signed in.",
    ),
    405: ("There is a problem", "This page cannot be used that way. Go back and try again."),
    409: (
        "Someone else changed this",
        "Nothing you sent was saved. Go back, reload the page to see their change, and make "
        "yours again.",
    ),
    422: (
        "There is a problem with what was sent",
        "Nothing was changed. Go back, correct what you entered and try again.",
    ),
    503: (
        "Sorry, the service is unavailable",
        "Nothing you sent was saved. Try again in a minute. If it keeps happening, tell your "
        "system administrator.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Nothing you sent was saved. Try again later. If it keeps happening, tell your "
        "system administrator what you were doing and when.",
    ),
}


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path in ("/health", "/ready"):
        return True  # the API, and the load balancer's checks
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _back(request: Request) -> str | None:
    """The page the person came from, when it is one of ours and not this one."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path:
        return None
    back = referer.path + (f"?{referer.query}" if referer.query else "")
    return None if back == request.url.path else back


def _asker(request: Request) -> Who:
    """Who is asking, for the page's header: a request refused before its route ran (an address
    that does not parse) is looked up from its session cookie here."""
    asker = getattr(request.state, "who", None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if asker is None and cookie:
        try:
            with request.app.state.sessions() as session:
                found = actor_for_session.call(session, cookie, "web")
            asker = found and Who(found[0], found[1], via_token=False)
        except Exception:  # the page still says what went wrong, signed out
            log.exception("who was asking could not be found for an error page")
    return asker or Who(ANONYMOUS, "", False)


def error_page(
    request: Request, status: int, message: str, problems: list[str] | None = None
) -> Response:
    """The NHS.UK-style page for `status`: what happened (`message`, `problems`), what to do, a
    link back."""
    title, advice = PAGES.get(status, PAGES[400 if status < 500 else 500])
    asker = _asker(request)
    context = {
        "title": title,
        "message": message,
        "problems": problems or [],
        "advice": advice,
        "status": status,
        "back": _back(request),
        "actor": asker.actor,
        "principal": asker.actor.principal,
        "csrf_token": asker.csrf_token,
    }
    try:
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
    except Exception:  # the page itself failed (the database may be down): say it plainly
        log.exception("the error page could not be drawn")
        return HTMLResponse(
            f'<!DOCTYPE html><html lang="en"><title>{title}</title><h1>{title}</h1>'
            f'<p>{advice}</p><p><a href="/">Go to the home page</a></p></html>',
            status_code=status,
        )


def _answer(request: Request, status: int, body: dict[str, Any]) -> Response:
    if _wants_json(request):
        shaped = ErrorAnswer(error=ErrorBody(**body)).model_dump(mode="json", exclude_none=True)
        return JSONResponse(shaped, status_code=status)
    return error_page(request, status, str(body["message"]))


def install_error_handlers(app: FastAPI) -> None:
    def handle(status: int):  # type: ignore[no-untyped-def]
        def handler(request: Request, exc: Exception) -> Response:
            body: dict[str, Any] = {"message": str(getattr(exc, "message", exc) or "")}
            if isinstance(exc, InputError):
                body = exc.as_dict()
            if isinstance(exc, Conflict):
                body["current_version"] = exc.current_version
                body["changes"] = {k: {"yours": a, "now": b} for k, (a, b) in exc.changes.items()}
            if not body["message"]:
                body["message"] = PAGES[status][0]
            return _answer(request, status, body)

        return handler

    app.add_exception_handler(NotFound, handle(404))
    app.add_exception_handler(Forbidden, handle(403))
    app.add_exception_handler(SignInNeeded, handle(401))
    app.add_exception_handler(InputError, handle(400))
    app.add_exception_handler(Conflict, handle(409))
    app.add_exception_handler(StaleDataError, _database_error)
    app.add_exception_handler(IntegrityError, _database_error)
    app.add_exception_handler(DataError, _database_error)
    app.add_exception_handler(OverflowError, _database_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(InterfaceError, _database_error)
    app.add_exception_handler(PoolTimeout, _database_error)
    app.add_exception_handler(TooManyAttempts, _too_many)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _server_error)


def _too_many(request: Request, exc: Exception) -> Response:
    """429 at once, saying when to try again: a limit is never met by holding the request."""
    assert isinstance(exc, TooManyAttempts)
    response = _answer(request, 429, {"message": exc.message})
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else PAGES.get(exc.status_code, ("",))[0]
    if exc.status_code == 404 and message == "Not Found":
        message = f"There is no page at {request.url.path}."
    if exc.status_code == 405 and message == "Method Not Allowed":
        message = f"{request.method} is not how {request.url.path} is used."
    response = _answer(request, exc.status_code, {"message": message})
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


UNAVAILABLE = (
    "The service cannot reach its database just now: nothing you sent was saved. Try again in a "
    "minute."
)


async def _database_error(request: Request, exc: Exception) -> Response:
    """What the database refused, said as the answer it means: a lost race is the Conflict (409,
    store.uow.as_conflict); a number too big for its column (beyond 64 bits, or the column's
    own size) is a 400; an outage, a timeout or an exhausted pool is a 503 the caller may retry,
    never a hang or a 500."""
    if (conflict := as_conflict(exc)) is not None:
        body: dict[str, Any] = {"message": conflict.message, "current_version": -1}
        return _answer(request, 409, body)
    if isinstance(exc, DataError | OverflowError):
        return _answer(
            request,
            400,
            {
                "message": "A number in the request is too large for this service to store or look "
                "up: nothing was changed.",
                "expected": "a whole number between -2^63 and 2^63-1",
            },
        )
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        if getattr(request.state, "who", None) is None:  # the page must not ask the database
            request.state.who = Who(ANONYMOUS, "", False)
        response = _answer(request, 503, {"message": UNAVAILABLE})
        response.headers["Retry-After"] = "30"
        return response
    return await _server_error(request, exc)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(
        request, 500, {"message": "Something went wrong on our side: it is not your mistake."}
    )


# ---- a request that did not parse: FastAPI's 422, said in words


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if _wants_json(request):
        problems = [api_problem(e) for e in errors]
        first = problems[0]
        body = ErrorBody(
            message=first.message if len(problems) == 1 else _several(problems),
            field=first.field,
            expected=first.expected,
            problems=problems,
        )
        return JSONResponse(
            ErrorAnswer(error=body).model_dump(mode="json", exclude_none=True), status_code=422
        )
    in_path = any(e["loc"][:1] == ("path",) for e in errors)
    said = [page_problem(e) for e in errors]
    if in_path:
        return error_page(request, 404, f"{said[0]}, so there is no page at {request.url.path}.")
    return error_page(request, 400, said[0] + ".", said[1:])


def _several(problems: list[Problem]) -> str:
    return f"{len(problems)} problems: " + "; ".join(p.message for p in problems)


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "decimal_parsing": "a number",
    "decimal_type": "a number",
    "finite_number": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_type": "a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "datetime_parsing": "a date and time as YYYY-MM-DDTHH:MM:SS",
    "datetime_type": "a date and time as YYYY-MM-DDTHH:MM:SS",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "json_invalid": "valid JSON",
    "json_type": "valid JSON",
    "missing": "a value",
    "extra_forbidden": "no such field",
}
_BOUNDS = {
    "greater_than_equal": "a number of at least {ge}",
    "greater_than": "a number more than {gt}",
    "less_than_equal": "a number of at most {le}",
    "less_than": "a number less than {lt}",
    "string_too_long": "at most {max_length} characters",
    "string_too_short": "at least {min_length} characters",
    "too_long": "at most {max_length} items",
    "too_short": "at least {min_length} items",
    "literal_error": "one of {expected}",
    "enum": "one of {expected}",
    "string_pattern_mismatch": "text matching {pattern}",
}


def expected(error: Any) -> str:
    """What the field should have held, in words, from a pydantic error."""
    kind = str(error.get("type", ""))
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in _BOUNDS:
        try:
            return _BOUNDS[kind].format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            pass
    said = str(error.get("msg", "a valid value")).removeprefix("Value error, ")
    return said[:1].lower() + said[1:]


def _given(error: Any) -> str:
    value = error.get("input")
    if value is None or isinstance(value, dict | list):
        return ""
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def api_problem(error: Any) -> Problem:
    """One pydantic error as the API says it: the field by its JSON name, what was expected."""
    where = [str(part) for part in error["loc"]]
    field = ".".join(where[1:]) or where[0]
    wanted = expected(error)
    if error.get("type") == "missing":
        return Problem(message=f"{field} is required", field=field, expected=wanted)
    given = _given(error)
    message = f"{field} must be {wanted}" + (f"; {given} was given" if given else "")
    return Problem(message=message, field=field, expected=wanted)


# A number in a page's address, in the record's words.
PATH_WORDS = {
    "plan_id": "a plan number",
    "body_id": "a governance body number",
    "line_id": "a budget line number",
    "scheme_id": "a scheme number",
    "milestone_id": "a milestone number",
    "action_id": "a delivery action number",
    "model_id": "a capacity model number",
    "run_id": "a model run number",
    "number": "a version number",
    "organisation_id": "an organisation number",
    "step_id": "a sign-off step number",
    "token_id": "an API token number",
}
# A setting in a page's address (after the ?): its name in words, and what it takes.
QUERY_WORDS = {
    "year": ("year", "a year such as 2025 (for 2025-26)"),
    "priority": ("priority", "a priority number"),
    "run": ("model run", "a model run number"),
    "mine": ("mine", "yes or no"),
    "reds_only": ("reds only", "yes or no"),
    "saved": ("saved", "yes or no"),
}


def page_problem(error: Any) -> str:
    """One pydantic error as a page says it: "'abc' is not a plan number"."""
    where, name = error["loc"][0], str(error["loc"][-1])
    given = _given(error) or "What was given"
    if where == "path":
        return f"{given} is not {PATH_WORDS.get(name, 'part of an address this service uses')}"
    label, wanted = QUERY_WORDS.get(name, (name.replace("_", " "), expected(error)))
    if error.get("type") == "missing":
        return f"The {label} is missing: give {wanted}"
    if where == "query":
        return f"The {label} in the address, {given}, is not {wanted}"
    return f"The {label}, {given}, is not {wanted}"
