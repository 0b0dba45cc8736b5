"""``traza backup OUT`` and ``traza restore IN`` (see traza.store.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from traza.cli_common import EXIT_UNUSABLE, DbOption, console, err, open_db


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)


def backup(out: Annotated[Path, typer.Argument(help="A new folder for the backup.")], database: DbOption = None) -> None:
    """Back up the whole database: DuckDB tables to Parquet, PostgreSQL with pg_dump; a
    manifest records rows and checksums."""
    from traza.store.backup import BackupError
    from traza.store.backup import backup as run

    with open_db(database) as db:
        try:
            manifest = run(db, out)
        except BackupError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    rows = sum(t["rows"] for t in manifest["tables"].values())
    console.print(f"backed up {len(manifest['tables'])} tables, {rows:,} rows, schema version "
                  f"{manifest['schema_version']} to {out}")


def restore(src: Annotated[Path, typer.Argument(help="A folder made by `traza backup`.")], database: DbOption = None) -> None:
    """Restore a backup into an empty database (DuckDB: a new file; PostgreSQL: a schema that
    does not exist yet), checking every file against the manifest first."""
    from traza.store import open_database
    from traza.store.backup import BackupError, read_manifest
    from traza.store.backup import restore as run

    try:
        engine = read_manifest(src)["engine"]
    except (BackupError, ValueError, KeyError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    # PostgreSQL: the dump recreates the schema, so nothing may be migrated into it first.
    db = open_db(database, create=True) if engine == "duckdb" else open_database(database, migrate=False)
    with db:
        try:
            manifest = run(db, src)
        except BackupError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    console.print(f"restored {len(manifest['tables'])} tables from {src}")
