"""The web UI's pages, one module per area."""

from traza.web.routes import (
    alerts,
    audit,
    auth,
    cases,
    dashboard,
    field,
    operators,
    portal,
    ports,
    records,
    registry,
    reports,
    rules,
    search,
)

ROUTERS = (auth, dashboard, alerts, operators, cases, rules, registry, audit, portal, field, ports, records, reports,
           search)
