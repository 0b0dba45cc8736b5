"""The web UI's pages, one module per area."""

from traza.web.routes import alerts, audit, auth, dashboard, portal

ROUTERS = (auth, dashboard, alerts, audit, portal)
