"""What every request passes before any route runs: a limit on the size of its body, checked on
the Content-Length and again as it streams (so no body is read whole, and no sign-in, session or
password work is spent on one that is too big), the security headers every answer carries, and a
check that no whole number in it is beyond what a 64-bit column holds.

Both are plain ASGI middleware: the decorator form costs a task and a stream copy per request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from placeplan.core.errors import InputError
from placeplan.web.context import SESSION_COOKIE

MB = 1024 * 1024
# The routes whose bodies carry a workbook or a table of figures, by method and path; each may
# take the largest workbook accepted (xlsx_guard's 20 MB) and a multipart envelope. Every other
# body (a form, a JSON edit) is small.
LARGE = (
    ("POST", re.compile(r"/plans/[^/]+/budget/upload")),
    ("POST", re.compile(r"/plans/[^/]+/delivery/import")),
    ("POST", re.compile(r"/metrics/[^/]+/import")),
    ("POST", re.compile(r"/api/v1/plans/[^/]+/budget/workbook/preview")),
    ("POST", re.compile(r"/api/v1/plans/[^/]+/delivery/tracker/preview")),
    ("POST", re.compile(r"/api/v1/metrics/[^/]+/measurements(/preview)?")),
    ("PUT", re.compile(r"/api/v1/plans/[^/]+/budget")),
)
LARGE_BYTES = 21 * MB
SMALL_BYTES = 1 * MB


def body_limit(method: str, path: str) -> int:
    """The most bytes a request to `path` may send."""
    large = any(method == m and pattern.fullmatch(path) for m, pattern in LARGE)
    return LARGE_BYTES if large else SMALL_BYTES


def too_large(limit: int) -> HTTPException:
    return HTTPException(
        413,
        f"The request is larger than this address accepts ({limit // MB} MB): nothing was read "
        "or changed.",
    )


class BodyLimit:
    """Refuses a body over its route's limit with 413: at once when Content-Length says so,
    else at the chunk that passes it (raised inside the route's read, so the error handlers
    answer it in the JSON shape or as a page)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"])
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, counted, send)


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    """A 413 in the error shape, sent before the body is read: plain text for a page, since no
    template should be drawn for a request that is refused unread."""
    message = str(too_large(limit).detail)
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": {"message": message}}).encode()
        kind = b"application/json"
    else:
        body = (
            '<!DOCTYPE html><html lang="en"><title>There is a problem</title>'
            f'<h1>There is a problem</h1><p>{message}</p><p><a href="/">Go to the home page</a>'
            "</p></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# No script but our own files (no inline script, no outside server); styles may be inline (the
# chart and progress markup sets sizes in style attributes; a style cannot run code); no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def csp(form_targets: tuple[str, ...] = ()) -> str:
    """The policy, with the origins a form may lead to besides the app's own: the sign-in with
    an organisation's account posts here and is redirected to its identity provider, a redirect
    the browser holds to `form-action` too."""
    if not form_targets:
        return CSP
    return CSP.replace("form-action 'self'", "form-action 'self' " + " ".join(form_targets))


class SecurityHeaders:
    """The headers every answer carries; HSTS when cookies are secure (served over HTTPS), and
    `Cache-Control: no-store` on every answer to a signed-in request (a session cookie or an
    API token) but the static files, so no shared or back-button cache keeps what they saw."""

    HEADERS = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    ]
    HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")

    def __init__(self, app: ASGIApp, hsts: bool = True, form_targets: tuple[str, ...] = ()) -> None:
        self.app = app
        policy = (b"content-security-policy", csp(form_targets).encode())
        self.headers = [*self.HEADERS, policy] + ([self.HSTS] if hsts else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or ())
        signed_in = b"authorization" in sent or SESSION_COOKIE.encode() in sent.get(b"cookie", b"")
        private = signed_in and not scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not (private and k.lower() == b"cache-control")
                ]
                headers += self.headers
                if private:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


# ---- whole numbers a database column can hold ------------------------------------------------
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _beyond_64_bits(value: Any, where: str) -> str | None:
    """The first place in a parsed JSON value holding a whole number no 64-bit column holds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return where if not INT64_MIN <= value <= INT64_MAX else None
    items: Iterable[tuple[Any, Any]] = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        if found := _beyond_64_bits(item, f"{where}.{key}" if where else str(key)):
            return found
    return None


async def within_64_bits(request: Request) -> None:
    """Every route's guard: a whole number in the path, the query or a JSON body beyond 64 bits
    is a 400 naming its field, not a database error (the body is the one FastAPI already read)."""
    found: str | None = None
    for name, text in (*request.path_params.items(), *request.query_params.items()):
        if isinstance(text, str) and text.lstrip("-").isdigit() and len(text) > 18:
            found = found or _beyond_64_bits(int(text), name)
    if found is None and request.headers.get("content-type", "").startswith("application/json"):
        try:
            found = _beyond_64_bits(json.loads(await request.body() or b"null"), "")
        except ValueError:
            return  # FastAPI answers a body that is not JSON
    if found is not None:
        raise InputError(
            f"{found} must be a whole number between {INT64_MIN} and {INT64_MAX}",
            field=found,
        )
