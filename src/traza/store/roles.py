"""PostgreSQL server mode with two roles (docs/architecture.md, "Database roles").

The OWNER role runs the migrations (``traza init`` with ``TRAZA_MIGRATE_URL``) and owns the
schema, its tables, views, sequences and the ``traza_append_only`` function. The APP role is
what the service and the CLI's loads connect as (``TRAZA_DATABASE_URL``): it owns nothing and
may not create in the schema, so it can neither ALTER, DROP nor replace a table, trigger or
function; it may only SELECT and INSERT, except on the few tables the service changes in
place (``MUTABLE``). What a
compromised service can do to the audit log is therefore append to it, which the hash chain
records like any other event.
"""

from __future__ import annotations

from psycopg import sql

from traza.core.errors import TrazaError
from traza.store.db import Database

# The only tables whose rows the service changes in place: an alert's figures and retirement,
# a detection run's finish, the login counters. Every other table (the registry's versions,
# the ledger, submissions and rejections, the logs) is written by appending, so the app role
# may only read and append to it: a compromised service cannot delete a movement or a firm's
# registration, only add rows, which the audit chain and the submissions record. A new table
# that must change in place is added here on purpose.
MUTABLE = ("alerts", "detection_runs", "login_throttle")

class RoleError(TrazaError):
    """The app role named is missing, or is no app role (it owns the schema, or may become its owner)."""


def grant_app_role(db: Database, role: str) -> list[str]:
    """Give ``role`` what the service needs in the current schema and nothing more; return the
    tables it may only read and append to (all but ``MUTABLE``). Run as the owner after migrating; safe
    to run again (it revokes first)."""
    if db.dialect != "postgres":
        raise RoleError("database roles exist in PostgreSQL server mode only; DuckDB is one file with no roles")
    found = db.query("SELECT rolsuper, pg_has_role(?, current_user, 'MEMBER') FROM pg_roles WHERE rolname = ?",
                     (role, role))
    if not found:
        raise RoleError(f"TRAZA_APP_ROLE: no PostgreSQL role {role!r}; create it first "
                        f"(CREATE ROLE {role} LOGIN PASSWORD '...')")
    is_super, is_member = found[0]
    owner = db.scalar("SELECT current_user")
    if is_super or is_member:
        raise RoleError(f"TRAZA_APP_ROLE: role {role!r} is " + ("a superuser" if is_super else f"a member of the "
                        f"owner role {owner!r}") + ": it could rewrite the audit log; use a plain LOGIN role")
    schema = str(db.scalar("SELECT current_schema()"))
    tables = [str(t[0]) for t in db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                          "current_schema() AND table_type = 'BASE TABLE' ORDER BY 1")]
    mutable = [t for t in MUTABLE if t in tables]  # an older schema may lack some
    s, r = sql.Identifier(schema), sql.Identifier(role)
    statements = [
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(s),
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {} TO {}").format(s, r),
        *([sql.SQL("GRANT UPDATE, DELETE ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in mutable), r)] if mutable else []),
        # Which migrations ran is the owner's record: the app only reads it (to see the schema is current).
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(schema, "schema_migrations"), r),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r),
        # Tables a later migration makes may be read and appended to (`traza init` runs this
        # again after every migration; MUTABLE says which may change in place).
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT ON TABLES TO {}").format(s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}").format(s, r),
    ]
    conn = db._conn
    with db.transaction():
        for stmt in statements:
            db.execute_native(stmt.as_string(conn))
    return [t for t in tables if t not in MUTABLE]
