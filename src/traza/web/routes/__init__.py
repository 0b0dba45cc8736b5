"""The web UI's pages, one module per area."""

from traza.web.routes import auth, dashboard

ROUTERS = (auth, dashboard)
