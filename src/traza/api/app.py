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
from fastapi.routing import APIRoute

from traza import __version__, web
from traza.api import errors
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

ROUTERS = (meta, auth, declarations, ledger, checks, alerts, cases, registry, users, audit, rules, field,
           ports, reports)


def _operation_id(route: APIRoute) -> str:
    # Every route names its operation_id; this is only the fallback (the function's name).
    return route.name


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
        openapi_url="/v1/openapi.json", docs_url="/v1/docs", redoc_url=None,
        swagger_ui_oauth2_redirect_url="/v1/docs/oauth2-redirect",
        generate_unique_id_function=_operation_id, lifespan=lifespan,
    )
    errors.install(app)
    for module in ROUTERS:
        app.include_router(module.r)
    web.install(app)  # the web UI's pages, at the root
    # Added last, runs first: the body limit wraps everything, the sale check's fast path next.
    app.add_middleware(SaleCheckFastPath)
    app.add_middleware(BodyLimit, limit=cfg.max_upload_bytes)
    # Outermost, so every answer (a refused body, the fast path's) carries the headers.
    app.add_middleware(SecurityHeaders, hsts=cfg.env != "development")
    return app
