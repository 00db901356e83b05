"""Error pages and answers, and the security headers every response carries."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from placeplan.core.actor import ANONYMOUS
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound, SignInNeeded
from placeplan.web.context import Who
from placeplan.web.templating import templates


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    asker = getattr(request.state, "who", None) or Who(ANONYMOUS, "", False)
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "title": title,
            "message": message,
            "actor": asker.actor,
            "principal": asker.actor.principal,
            "csrf_token": asker.csrf_token,
        },
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    def handle(status: int, title: str):  # type: ignore[no-untyped-def]
        def handler(request: Request, exc: Exception) -> Response:
            body: dict[str, object] = {"message": str(getattr(exc, "message", exc) or title)}
            if isinstance(exc, InputError):
                body = exc.as_dict()
            if isinstance(exc, Conflict):
                body["current_version"] = exc.current_version
                body["changes"] = {k: {"yours": a, "now": b} for k, (a, b) in exc.changes.items()}
            if _wants_json(request):
                return JSONResponse({"error": body}, status_code=status)
            return _error_page(request, status, title, str(body["message"]))

        return handler

    app.add_exception_handler(NotFound, handle(404, "Page not found"))
    app.add_exception_handler(Forbidden, handle(403, "You cannot do that"))
    app.add_exception_handler(SignInNeeded, handle(401, "Sign in needed"))
    app.add_exception_handler(InputError, handle(400, "There is a problem"))
    app.add_exception_handler(Conflict, handle(409, "Someone else changed this"))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if _wants_json(request):
            return JSONResponse({"error": {"message": exc.detail}}, status_code=exc.status_code)
        titles = {401: "Sign in needed", 403: "You cannot do that", 404: "Page not found"}
        return _error_page(
            request,
            exc.status_code,
            titles.get(exc.status_code, "There is a problem"),
            str(exc.detail),
        )

    app.add_exception_handler(HTTPException, http_error)


class SecurityHeaders:
    """Plain ASGI middleware: the decorator form costs a task and a stream copy per request."""

    HEADERS = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)
