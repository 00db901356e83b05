"""The application factory: one app serves the pages and the JSON API from the same services.

This is the web's composition root: the one module that knows every concept's routers. It wires
the concepts' hooks (placeplan.app.wiring) before serving.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from placeplan import __version__
from placeplan.app import home
from placeplan.app.crumbs import breadcrumbs
from placeplan.app.wiring import wire
from placeplan.areas import api as areas_api
from placeplan.areas import pages as areas_pages
from placeplan.assurance import pages as assurance_pages
from placeplan.audit import api as audit_api
from placeplan.audit import pages as audit_pages
from placeplan.budget import api as budget_api
from placeplan.budget import pages as budget_pages
from placeplan.budget.domain.catalogue import CATEGORIES, FUNDING_SOURCES
from placeplan.capacity import api as capacity_api
from placeplan.capacity import pages as capacity_pages
from placeplan.capacity.service.runner import lifespan as capacity_lifespan
from placeplan.config import Settings
from placeplan.core.codes import PLAN_KINDS
from placeplan.delivery import api as delivery_api
from placeplan.delivery import pages as delivery_pages
from placeplan.finance import api as finance_api
from placeplan.finance import pages as finance_pages
from placeplan.governance import api as governance_api
from placeplan.governance import pages as governance_pages
from placeplan.measures import api as measures_api
from placeplan.measures import pages as measures_pages
from placeplan.narrative import api as narrative_api
from placeplan.narrative import pages as narrative_pages
from placeplan.organisations import api as organisations_api
from placeplan.organisations import pages as organisations_pages
from placeplan.organisations.models import ORGANISATION_KINDS
from placeplan.packs import pages as packs_pages
from placeplan.people import api as people_api
from placeplan.people import pages as people_pages
from placeplan.people import pages_oidc as people_pages_oidc
from placeplan.plans import api as plans_api
from placeplan.plans import pages as plans_pages
from placeplan.plans.domain import DECISIONS, SIGNATORY_ROLES
from placeplan.plans.service import period_of
from placeplan.pledges import api as pledges_api
from placeplan.pledges import pages as pledges_pages
from placeplan.returns import api as returns_api
from placeplan.returns import pages as returns_pages
from placeplan.search import api as search_api
from placeplan.search import pages as search_pages
from placeplan.store.db import make_engine, session_factory
from placeplan.web.errors import ERROR_ANSWERS, SecurityHeaders, install_error_handlers
from placeplan.web.templating import templates

STATIC = Path(__file__).parents[1] / "web" / "static"


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    wire()
    # The concepts' vocabularies that templates name; web.templating imports no concept.
    templates.env.globals.update(
        PLAN_KINDS=PLAN_KINDS,
        DECISIONS=DECISIONS,
        SIGNATORY_ROLES=SIGNATORY_ROLES,
        ORGANISATION_KINDS=ORGANISATION_KINDS,
        FUNDING_SOURCES=FUNDING_SOURCES,
        CATEGORIES=CATEGORIES,
        period_of=period_of,
        breadcrumbs=breadcrumbs,
    )
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)

    app = FastAPI(
        lifespan=capacity_lifespan,  # the capacity runs' background worker
        title="placeplan",
        version=__version__,
        description="Plans, pooled budgets, measures and models of a local health and care system.",
        docs_url=None,  # served below from our own copy of Swagger UI: no outside server
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    install_error_handlers(app)
    app.add_api_route("/api/docs", api_docs, include_in_schema=False)

    # The order is the order routes are matched in.
    for router in (
        home.router,
        areas_pages.router,
        areas_api.router,
        organisations_pages.router,
        organisations_api.router,
        governance_pages.router,
        governance_api.router,
        plans_pages.router,
        plans_api.router,
        audit_pages.router,
        audit_api.router,
        people_pages.router,
        people_pages_oidc.router,
        people_api.router,
        budget_pages.router,
        budget_api.router,
        measures_pages.router,
        measures_api.router,
        capacity_pages.router,
        capacity_api.router,
        delivery_pages.router,
        delivery_api.router,
        finance_pages.router,
        finance_api.router,
        pledges_pages.router,
        pledges_api.router,
        narrative_pages.router,
        narrative_api.router,
        assurance_pages.router,
        returns_pages.router,
        returns_api.router,
        packs_pages.router,
        search_pages.router,
        search_api.router,
    ):
        api = all(getattr(r, "path", "").startswith("/api/") for r in router.routes)
        app.include_router(router, responses=ERROR_ANSWERS if api else None)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(SecurityHeaders)

    return app


def api_docs() -> HTMLResponse:
    """The API's documentation: Swagger UI from swagger-ui-dist (npm), copied into /static at
    set-up, so the page loads on a network with no way out. No validator badge (it would call
    an outside server)."""
    page = get_swagger_ui_html(
        openapi_url="/api/v1/openapi.json",
        title="placeplan API",
        swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/nhsuk/assets/images/favicon.svg",
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode().replace("<html>", '<html lang="en">', 1)
    return HTMLResponse(html)
