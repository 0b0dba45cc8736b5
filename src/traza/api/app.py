"""The FastAPI application: ``create_app(settings)``.

Routes live under ``/v1`` with stable operation ids (the function's ``operation_id``), the
schema at ``/v1/openapi.json``; every error has the shape of :mod:`traza.api.errors`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from traza import __version__, web
from traza.api import errors
from traza.api.edge import TextEdge
from traza.api.fastcheck import SaleCheckFastPath
from traza.api.headers import SecurityHeaders
from traza.api.limits import BodyLimit
from traza.api.routers import (
    alerts,
    audit,
    auth,
    cases,
    checks,
    declarations,
    field,
    ledger,
    meta,
    ports,
    registry,
    reports,
    rules,
    users,
)
from traza.api.settings import Settings
from traza.api.state import AppState
from traza.web.errors import problem_page

ROUTERS = (meta, auth, declarations, ledger, checks, alerts, cases, registry, users, audit, rules, field,
           ports, reports)


def _operation_id(route: APIRoute) -> str:
    # Every route names its operation_id; this is only the fallback (the function's name).
    return route.name


DOCS, DOCS_REDIRECT = "/v1/docs", "/v1/docs/oauth2-redirect"
SWAGGER = "/static/vendor/swagger"


def _install_docs(app: FastAPI) -> None:
    @app.get(DOCS, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/v1/openapi.json", title="traza API",
                                   swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{SWAGGER}/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg", oauth2_redirect_url=DOCS_REDIRECT)

    @app.get(DOCS_REDIRECT, include_in_schema=False)
    def docs_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The database is opened (and migrated) when the app starts."""
    cfg = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = AppState.build(cfg)
        app.state.traza = state
        state.start()
        # Objects alive now (catalogue, geography, the first facts) never need collecting:
        # keeping them out of the collector's generations shortens its pauses.
        gc.collect()
        gc.freeze()
        # The writer and refresher threads wait on the database; hand the GIL back to the
        # event loop sooner than Python's 5 ms default so requests do not queue behind them.
        sys.setswitchinterval(0.001)
        try:
            yield
        finally:
            state.stop()

    app = FastAPI(
        title="traza",
        version=__version__,
        summary="National registry of controlled precursor chemicals",
        description=("Operators declare movements and check a sale before making it (API key in "
                     "X-API-Key); staff work the registry, alerts and cases (bearer token from "
                     "/v1/auth/login). Every error is {\"error\": {\"code\", \"message\", \"details\"}}."),
        # The interactive docs are served below from vendored files: FastAPI's default page
        # loads Swagger UI from a CDN, and traza never loads anything from the network.
        openapi_url="/v1/openapi.json", docs_url=None, redoc_url=None,
        swagger_ui_oauth2_redirect_url=DOCS_REDIRECT,
        generate_unique_id_function=_operation_id, lifespan=lifespan,
    )
    errors.install(app)
    _install_docs(app)
    for module in ROUTERS:
        app.include_router(module.r)
    web.install(app)  # the web UI's pages, at the root
    # Added last, runs first: the body limit wraps everything, the text edge next, then the
    # sale check's fast path.
    app.add_middleware(SaleCheckFastPath)
    # Every query, path, form and JSON text read once (core.text) before any route or the
    # fast path sees it; refusals as the API's error or, for pages, the error page.
    app.add_middleware(TextEdge, page=problem_page)
    app.add_middleware(BodyLimit, limit=cfg.max_upload_bytes)
    # Outermost, so every answer (a refused body, the fast path's) carries the headers.
    app.add_middleware(SecurityHeaders, hsts=cfg.env != "development")
    return app
