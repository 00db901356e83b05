"""The application factory: one app serves the pages and the JSON API from the same services.

This is the web's composition root: the one module that knows every concept's routers. It wires
the concepts' hooks (placeplan.app.wiring) before serving.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Engine

from placeplan import __version__
from placeplan.app import home
from placeplan.app.crumbs import breadcrumbs
from placeplan.app.wiring import wire
from placeplan.areas import api as areas_api
from placeplan.areas import pages as areas_pages
from placeplan.assurance import api as assurance_api
from placeplan.assurance import pages as assurance_pages
from placeplan.audit import api as audit_api
from placeplan.audit import pages as audit_pages
from placeplan.budget import api as budget_api
from placeplan.budget import pages as budget_pages
from placeplan.budget.domain.catalogue import CATEGORIES, FUNDING_SOURCES
from placeplan.capacity import api as capacity_api
from placeplan.capacity import fit_api as capacity_fit_api
from placeplan.capacity import fit_pages as capacity_fit_pages
from placeplan.capacity import form_pages as capacity_form_pages
from placeplan.capacity import pages as capacity_pages
from placeplan.capacity import sweep_pages as capacity_sweep_pages
from placeplan.capacity.service.runner import lifespan as capacity_lifespan
from placeplan.config import Settings
from placeplan.core.codes import PLAN_KINDS
from placeplan.delivery import api as delivery_api
from placeplan.delivery import pages as delivery_pages
from placeplan.finance import api as finance_api
from placeplan.finance import index_api as finance_index_api
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
from placeplan.web.collector import settle
from placeplan.web.errors import ERROR_ANSWERS, install_error_handlers
from placeplan.web.guards import BodyLimit, SecurityHeaders, within_64_bits
from placeplan.web.templating import templates

STATIC = Path(__file__).parents[1] / "web" / "static"


# No two routers answer the same address (tests/app/test_routes_disjoint.py), so their order
# changes no answer; it is what a request pays: FastAPI matches an address against every route
# of each router before the one that answers it (0.45 ms to reach the 34th router of 40). The
# pages opened most at national scale come first: the home page, plans, assurance and comparisons.
ROUTERS = (
    home.router,
    plans_pages.router,
    assurance_pages.router,
    assurance_api.router,
    areas_pages.router,
    audit_pages.router,
    plans_api.router,
    areas_api.router,
    organisations_pages.router,
    organisations_api.router,
    governance_pages.router,
    governance_api.router,
    audit_api.router,
    people_pages.router,
    people_pages_oidc.router,
    people_api.router,
    budget_pages.router,
    budget_api.router,
    measures_pages.router,
    measures_api.router,
    capacity_pages.router,
    capacity_form_pages.router,
    capacity_sweep_pages.router,
    capacity_fit_pages.router,
    capacity_api.router,
    capacity_fit_api.router,
    delivery_pages.router,
    delivery_api.router,
    finance_pages.router,
    finance_api.router,
    finance_index_api.router,
    pledges_pages.router,
    pledges_api.router,
    narrative_pages.router,
    narrative_api.router,
    returns_pages.router,
    returns_api.router,
    packs_pages.router,
    search_pages.router,
    search_api.router,
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The collector set for serving, then the capacity runs' background worker."""
    settle()
    async with capacity_lifespan(app):
        yield


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
    engine = engine or make_engine(settings.database_url, **settings.engine_options())

    app = FastAPI(
        lifespan=_lifespan,
        title="placeplan",
        version=__version__,
        description="Plans, pooled budgets, measures and models of a local health and care system.",
        docs_url=None,  # served below from our own copy of Swagger UI: no outside server
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        dependencies=[Depends(within_64_bits)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    install_error_handlers(app)
    app.add_api_route("/api/docs", api_docs, include_in_schema=False)
    _add_health_checks(app)

    for router in ROUTERS:
        # every documented route says how it refuses (pages' downloads, such as a plan's
        # workbook, are documented too); routes left out of the schema are unaffected
        app.include_router(router, responses=ERROR_ANSWERS)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_middleware(app, settings)
    return app


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # the last added runs first: the body limit before any route, the headers on every answer
    app.add_middleware(BodyLimit)
    issuer = urlsplit(settings.oidc_issuer or "")
    provider = (f"{issuer.scheme}://{issuer.netloc}",) if settings.single_sign_on else ()
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies, form_targets=provider)


def _add_health_checks(app: FastAPI) -> None:
    app.add_api_route("/health", health, include_in_schema=False, response_model=Health)
    app.add_api_route(
        "/ready", ready, include_in_schema=False, response_model=Health, responses=ERROR_ANSWERS
    )


class Health(BaseModel):
    status: str


def health() -> Health:
    """For a load balancer: the process is alive and serving (asks nothing of the database)."""
    return Health(status="alive")


def ready(request: Request) -> Health:
    """For a load balancer: the database answers, so requests can be served. A database that
    does not answer within the connect and pool timeouts is a 503 in the error shape (the
    handlers in web.errors), and the next check after it recovers is a 200: no restart."""
    with request.app.state.engine.connect() as connection:
        connection.execute(text("select 1"))
    return Health(status="ready")


def api_docs() -> HTMLResponse:
    """The API's documentation: Swagger UI from swagger-ui-dist (npm), copied into /static at
    set-up, so the page loads on a network with no way out; started by /static/swagger-init.js,
    as the Content-Security-Policy allows no inline script."""
    return HTMLResponse(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>placeplan API</title>\n"
        '<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">\n'
        '<link rel="stylesheet" href="/static/swagger-overrides.css">\n'
        '<link rel="icon" href="/static/nhsuk/assets/images/favicon.svg">\n'
        '</head>\n<body>\n<div id="swagger-ui"></div>\n'
        '<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>\n'
        '<script src="/static/swagger-init.js"></script>\n</body>\n</html>\n'
    )
