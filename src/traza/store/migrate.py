"""Versioned schema. Each migration is ``migrations/NNNN_name.sql`` (both engines), with an
optional ``NNNN_name.<dialect>.sql`` beside it for what only one engine needs (PostgreSQL's
indexes, say). A database made by an older traza is upgraded in place, one migration per
transaction, and ``schema_migrations`` records what was applied.

The shared file is written in DuckDB's dialect and transpiled for PostgreSQL; the
``.postgres.sql`` file is PostgreSQL's own SQL (functions, triggers) and runs as written, since
sqlglot cannot read it. A role that may not change the schema (the service's app role,
store/roles.py) never tries: it is told which command brings the schema up to date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from traza.core.errors import TrazaError
from traza.store.db import Database

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    extra: dict[str, str]  # dialect -> SQL only that engine runs


def migrations() -> list[Migration]:
    folder = resources.files("traza.store") / "migrations"
    found: dict[int, Migration] = {}
    files = sorted(f.name for f in folder.iterdir() if f.name.endswith(".sql"))
    for fname in files:
        m = _NAME.match(fname)
        if m:
            version = int(m.group(1))
            extra = {}
            for dialect in ("duckdb", "postgres"):
                side = f"{m.group(1)}_{m.group(2)}.{dialect}.sql"
                if side in files:
                    extra[dialect] = (folder / side).read_text(encoding="utf-8")
            found[version] = Migration(version, m.group(2), (folder / fname).read_text(encoding="utf-8"), extra)
    return [found[v] for v in sorted(found)]


def current_version(db: Database) -> int:
    if not db.table_exists("schema_migrations"):
        return 0
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations") or 0)


def _statements(sql: str) -> list[str]:
    # Migration files hold no semicolons inside literals, so splitting is safe, except inside
    # the dollar-quoted body of a PostgreSQL function ($$ ... $$), which stays whole.
    body = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    out: list[str] = []
    for i, part in enumerate(body.split("$$")):
        if i % 2:  # inside $$ ... $$
            out[-1] += "$$" + part + "$$"
            continue
        pieces = part.split(";")
        if out and i:
            out[-1] += pieces.pop(0)
        out.extend(pieces)
    return [s.strip() for s in out if s.strip()]


class SchemaOutdated(TrazaError):
    """The schema lacks migrations and this connection's role may not apply them."""


def _after_0007(db: Database) -> None:
    from traza.store.chain import chain_existing

    chain_existing(db)


def _after_0010(db: Database) -> None:
    from traza.ports.store import rekey_stored  # the one place the manifest identity is defined

    rekey_stored(db)


# Steps a migration needs beyond SQL, run in its transaction after its statements.
_AFTER: dict[int, Callable[[Database], None]] = {7: _after_0007, 10: _after_0010}


def _may_change_schema(db: Database) -> bool:
    if db.dialect != "postgres":
        return True
    return bool(db.scalar("SELECT has_schema_privilege(current_schema(), 'CREATE')"))


def upgrade(db: Database, target: int | None = None) -> list[int]:
    """Apply the migrations the database lacks, up to ``target``; return the versions applied."""
    have = current_version(db)
    todo = [m for m in migrations() if m.version > have and (target is None or m.version <= target)]
    if not todo:  # the app role's every start: nothing to create, nothing it may not do
        return []
    if not _may_change_schema(db):
        user = db.scalar("SELECT current_user")
        raise SchemaOutdated(
            f"the database schema is at version {have}, this traza needs {todo[-1].version}, and role {user!r} "
            "may not change the schema (it is the service's app role): run `traza init` with "
            "TRAZA_MIGRATE_URL set to the owner role's URL, then start again")
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied: list[int] = []
    for mig in todo:
        with db.transaction():
            for stmt in _statements(mig.sql):
                db.execute(stmt)
            for stmt in _statements(mig.extra.get(db.dialect, "")):
                db.execute_native(stmt)
            if mig.version in _AFTER:
                _AFTER[mig.version](db)
            db.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                (mig.version, mig.name, datetime.now(UTC).replace(tzinfo=None)),
            )
        applied.append(mig.version)
    return applied
