"""The web UI: server-rendered pages (Jinja2 + HTMX) in the same app as the API. The API
stays under /v1; pages live at the root. ``install(app)`` adds the pages, the static assets
(vendored, never from a CDN) and the handlers that turn a missing login, a forbidden page
or a refused form into a page the user can read."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

# Routes anyone may open without logging in (the access-matrix test reads this). A path
# ending in '/' covers what is under it.
PUBLIC_PATHS: tuple[str, ...] = ("/login", "/login/operator", "/logout", "/static/")

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    from traza.web.errors import install_handlers
    from traza.web.routes import ROUTERS

    for module in ROUTERS:
        app.include_router(module.r)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_handlers(app)


