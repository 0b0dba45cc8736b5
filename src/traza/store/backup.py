"""``traza backup`` and ``traza restore``.

DuckDB: every table is written to Parquet in one folder, beside ``manifest.json`` (schema
version, sequences, and per table its rows and the SHA-256 of its file). Restoring needs an
empty database at the same schema version; the files are checked against the manifest first,
then every table is inserted in one transaction and the sequences set where they were.

PostgreSQL: a thin wrapper over ``pg_dump --format=custom`` of the database's schema and
``pg_restore`` of it (they must be on PATH, of the server's major version or newer), with
the same manifest so a restore can be checked. Restoring recreates the schema, so it must not
exist yet (drop it, or restore into another database)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from traza import __version__
from traza.core.errors import TrazaError
from traza.store.db import Database
from traza.store.migrate import current_version

MANIFEST = "manifest.json"
SKIP = ("schema_migrations",)  # written by the migrations of the restored database


class BackupError(TrazaError):
    pass


def tables(db: Database) -> list[str]:
    rows = db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                    "AND table_type = 'BASE TABLE' ORDER BY table_name")
    return [str(r[0]) for r in rows if r[0] not in SKIP]


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _manifest(db: Database, engine: str, files: dict[str, dict[str, Any]], sequences: dict[str, int]) -> dict[str, Any]:
    return {"traza": __version__, "engine": engine, "schema_version": current_version(db),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "tables": files, "sequences": sequences}


def backup(db: Database, out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"{out} is not empty: back up into a new folder")
    return _backup_duckdb(db, out) if db.dialect == "duckdb" else _backup_postgres(db, out)


def restore(db: Database, src: Path) -> dict[str, Any]:
    manifest = read_manifest(src)
    if manifest["engine"] == "duckdb" and manifest["schema_version"] != current_version(db):
        raise BackupError(f"the backup has schema version {manifest['schema_version']}, this traza has "
                          f"{current_version(db)}: restore it with the traza that made it, then upgrade")
    if manifest["engine"] != db.dialect:
        raise BackupError(f"this is a {manifest['engine']} backup; restore it into a {manifest['engine']} database")
    return _restore_duckdb(db, src, manifest) if db.dialect == "duckdb" else _restore_postgres(db, src, manifest)


def read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} holds no {MANIFEST}: not a traza backup")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


# --- DuckDB -----------------------------------------------------------------------------------

def _backup_duckdb(db: Database, out: Path) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    with db.transaction():  # one snapshot of every table
        for t in tables(db):
            path = out / f"{t}.parquet"
            db.execute(f"COPY {t} TO '{path}' (FORMAT parquet)")  # names come from the catalogue
            files[t] = {"file": path.name, "rows": int(db.scalar(f"SELECT count(*) FROM {t}")), "sha256": _sha(path)}
        seqs = {str(n): int(v) for n, v in db.query(
            "SELECT sequence_name, coalesce(last_value, start_value - 1) FROM duckdb_sequences() "
            "WHERE schema_name = current_schema()")}
        manifest = _manifest(db, "duckdb", files, seqs)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _restore_duckdb(db: Database, src: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    have = set(tables(db))
    for t, meta in manifest["tables"].items():
        if t not in have:
            raise BackupError(f"the backup holds table {t}, which this database does not have")
        if _sha(src / meta["file"]) != meta["sha256"]:
            raise BackupError(f"{meta['file']} does not match its checksum in the manifest: the backup is damaged")
    busy = [t for t in have if db.scalar(f"SELECT count(*) FROM {t}")]
    if busy:
        raise BackupError(f"the database is not empty ({', '.join(sorted(busy)[:5])}...): restore into a new one")
    with db.transaction():
        for t, meta in manifest["tables"].items():
            db.execute(f"INSERT INTO {t} SELECT * FROM read_parquet('{src / meta['file']}')")
            n = int(db.scalar(f"SELECT count(*) FROM {t}"))
            if n != meta["rows"]:
                raise BackupError(f"{t}: {n} rows restored, the manifest says {meta['rows']}")
    for name, last in manifest["sequences"].items():
        # DuckDB has no setval; nothing uses these as column defaults, so they can be remade.
        db.execute(f"DROP SEQUENCE IF EXISTS {name}")
        db.execute(f"CREATE SEQUENCE {name} START {int(last) + 1}")
    return manifest


# --- PostgreSQL -------------------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client tools (Debian: postgresql-client) "
                          "of the server's major version, or newer")
    return path


def _conninfo(db: Database) -> tuple[str, str]:
    # The URI goes on pg_dump's command line; keep the password in ~/.pgpass or PGPASSWORD.
    schema = str(db.scalar("SELECT coalesce(current_schema(), '')"))
    return db.url.target, schema


def _backup_postgres(db: Database, out: Path) -> dict[str, Any]:
    dump = _tool("pg_dump")
    url, schema = _conninfo(db)
    files = {t: {"rows": int(db.scalar(f"SELECT count(*) FROM {t}"))} for t in tables(db)}
    target = out / "traza.pgdump"
    run = subprocess.run([dump, "--format=custom", f"--schema={schema}", "--no-owner", f"--file={target}", url],
                         capture_output=True, text=True)
    if run.returncode:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
    manifest = _manifest(db, "postgres", files, {})
    manifest |= {"schema": schema, "dump": target.name, "sha256": _sha(target)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _restore_postgres(db: Database, src: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    tool = _tool("pg_restore")
    url = db.url.target
    dump = src / manifest["dump"]
    if _sha(dump) != manifest["sha256"]:
        raise BackupError(f"{dump.name} does not match its checksum in the manifest: the backup is damaged")
    schema = manifest["schema"]
    if db.scalar("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", (schema,)):
        raise BackupError(f"schema {schema} exists: drop it (or restore into another database) first")
    run = subprocess.run([tool, "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={url}", str(dump)],
                         capture_output=True, text=True)
    if run.returncode:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()}")
    return manifest
