"""The application factory: one app serves the pages and the JSON API from the same services."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from placeplan import __version__
from placeplan.config import Settings
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.store.db import make_engine, session_factory

STATIC = Path(__file__).with_name("static")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    from placeplan.core.actor import ANONYMOUS
    from placeplan.web.context import Who
    from placeplan.web.templating import templates

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


def _install_error_handlers(app: FastAPI) -> None:
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


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    from placeplan.capacity.service.runner import lifespan as capacity_lifespan

    app = FastAPI(
        lifespan=capacity_lifespan,  # the capacity runs' background worker
        title="placeplan",
        version=__version__,
        description="Plans, pooled budgets, measures and models of a local health and care system.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    _install_error_handlers(app)

    from placeplan.areas.views import router as areas_router
    from placeplan.budget.views import router as budget_router
    from placeplan.capacity.api import router as capacity_api_router
    from placeplan.capacity.pages import router as capacity_router
    from placeplan.delivery.edit_views import router as delivery_edit_router
    from placeplan.delivery.report_views import router as delivery_reports_router
    from placeplan.delivery.views import router as delivery_router
    from placeplan.governance.views import router as governance_router
    from placeplan.measures.commentary_views import router as measures_commentary_router
    from placeplan.measures.views import router as measures_router
    from placeplan.organisations.views import router as organisations_router
    from placeplan.people.views import router as people_router
    from placeplan.plans.views import router as plans_router
    from placeplan.pledges.views import router as pledges_router
    from placeplan.web.audit_views import router as audit_router

    for router in (
        areas_router,
        organisations_router,
        governance_router,
        plans_router,
        audit_router,
        people_router,
        budget_router,
        measures_router,
        measures_commentary_router,
        capacity_router,
        capacity_api_router,
        delivery_router,
        delivery_edit_router,
        pledges_router,
        delivery_reports_router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(SecurityHeaders)

    return app
