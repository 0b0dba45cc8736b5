"""PostgreSQL server mode with two roles (docs/architecture.md, "Database roles").

The OWNER role runs the migrations (``traza init`` with ``TRAZA_MIGRATE_URL``) and owns the
schema, its tables, views, sequences and the ``traza_append_only`` function. The APP role is
what the service and the CLI's loads connect as (``TRAZA_DATABASE_URL``): it owns nothing and
may not create in the schema, so it can neither ALTER, DROP nor replace a table, trigger or
function; on ``events`` and the other append-only tables it may only SELECT and INSERT. What a
compromised service can do to the audit log is therefore append to it, which the hash chain
records like any other event.
"""

from __future__ import annotations

from psycopg import sql

from traza.core.errors import TrazaError
from traza.store.db import Database

# Tables whose rows are facts: the append-only trigger guards them, and the app role is not
# even granted UPDATE or DELETE on them. Found from the triggers, so a new one counts at once.
_APPEND_ONLY = """
SELECT DISTINCT c.relname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE p.proname = 'traza_append_only' AND n.nspname = current_schema()
ORDER BY 1
"""


class RoleError(TrazaError):
    """The app role named is missing, or is no app role (it owns the schema, or may become its owner)."""


def grant_app_role(db: Database, role: str) -> list[str]:
    """Give ``role`` what the service needs in the current schema and nothing more; return the
    append-only tables it may only read and append to. Run as the owner after migrating; safe
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
    append_only = sorted({"events", *(str(r[0]) for r in db.query(_APPEND_ONLY))})
    s, r = sql.Identifier(schema), sql.Identifier(role)
    statements = [
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(s),
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(s, r),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
            sql.SQL(", ").join(sql.Identifier(schema, t) for t in append_only), r),
        # Which migrations ran is the owner's record: the app only reads it (to see the schema is current).
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(schema, "schema_migrations"), r),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r),
        # Tables a later migration makes get the same grants (append-only ones are revoked
        # again when `traza init` runs this after that migration).
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}")
        .format(s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}").format(s, r),
    ]
    conn = db.conn  # type: ignore[attr-defined]
    with db.transaction():
        for stmt in statements:
            db.execute_native(stmt.as_string(conn))
    return append_only
