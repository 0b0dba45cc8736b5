"""``traza field load``: validate field files (CSV, GeoJSON) and commit what passes, atomically.

The same rules as declaration files (``traza.ingest.load``): each file is a submission; every
refusal names the file, the line (CSV) or feature (GeoJSON), the field and the reason; all
accepted rows of a call commit in one transaction; a file already accepted whole is known by
its hash, and a record already held (same natural id, same content) is a duplicate. Different
content under a known id is refused (field records are facts, never edited), except for ENACO
certificates, whose later content is a new version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from traza.core import suffixes
from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.rejection import Rejection, named, unnamed
from traza.field.model import KINDS, LOAD_ORDER, Kind
from traza.field.parse import Item, Parsed, parse_csv, parse_geojson
from traza.field.validate import Context, validate
from traza.ingest.load import FileResult, LoadReport
from traza.store.db import Database

SUFFIXES = {".csv": "csv", **dict.fromkeys(suffixes.GEOJSON, "geojson")}
_BOOK = ("submission_id", "source_file", "source_ref", "recorded_at")


@dataclass
class _File:
    path: Path
    digest: str
    parsed: Parsed


def default_context(today: date | None = None) -> Context:
    return Context(frozenset(default_geography().districts), default_catalogue(), today=today or date.today())


def discover(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.rglob("*") if x.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def read(path: Path) -> _File:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _File(path, digest, Parsed(None, problems=[unnamed(None, None, None, f"not UTF-8 text: {exc}")], fatal=True))
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        return _File(path, digest, Parsed(None, problems=[unnamed(None, None, None,
                     "unknown file type: field files are .csv or .geojson")], fatal=True))
    return _File(path, digest, parse_csv(text) if fmt == "csv" else parse_geojson(text))


def load_field(db: Database, paths: list[Path | str], *, submitted_by: str | None = None,
               ctx: Context | None = None) -> LoadReport:
    """Validate and load field files (or folders of them) in one transaction."""
    named = [Path(p) for p in paths]
    missing = [str(p) for p in named if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    files = [read(p) for p in discover(named)]
    order = {k: i for i, k in enumerate(LOAD_ORDER)}
    files.sort(key=lambda f: order.get(f.parsed.kind.name if f.parsed.kind else "", 99))
    run = _Run(db, ctx or default_context(), submitted_by)
    with db.transaction():
        return LoadReport([run.one(f) for f in files])


class _Run:
    def __init__(self, db: Database, ctx: Context, by: str | None) -> None:
        self.db, self.ctx, self.by = db, ctx, by
        self.now = datetime.now(UTC).replace(tzinfo=None)
        self.digests: set[str] = set()
        self.known: dict[str, dict[str, str]] = {}  # kind -> natural id -> row_hash (latest)

    def _known(self, kind: Kind) -> dict[str, str]:
        if kind.name not in self.known:
            order = "version_id" if kind.versioned else "submission_id"
            rows = self.db.query(f"SELECT {kind.key}, row_hash FROM {kind.table} ORDER BY {order}")
            self.known[kind.name] = {str(k): str(h) for k, h in rows}
        return self.known[kind.name]

    def one(self, f: _File) -> FileResult:
        kind = f.parsed.kind
        prev = self.db.query("SELECT submission_id, status FROM submissions WHERE file_hash = ? "
                             "ORDER BY submission_id DESC LIMIT 1", (f.digest,))
        prev_id = int(prev[0][0]) if prev else None
        if f.digest in self.digests or (prev and prev[0][1] == "accepted"):
            return FileResult(f.path, kind.name if kind else None, "already_loaded", previous_submission=prev_id)
        self.digests.add(f.digest)
        sub = int(self.db.scalar("SELECT nextval('submission_id_seq')"))
        problems = list(f.parsed.problems)
        by_kind: dict[str, list[dict[str, Any]]] = {}
        accepted = duplicate = 0
        for item in f.parsed.items:
            row, bad = validate(item, self.ctx)
            if row is None:
                problems += bad
                continue
            verdict = self._classify(item, row)
            if verdict == "duplicate":
                duplicate += 1
            elif isinstance(verdict, Rejection):
                problems.append(verdict)
            else:
                row.update(submission_id=sub, source_file=f.path.name, source_ref=item.ref, recorded_at=self.now)
                by_kind.setdefault(item.kind.name, []).append(row)
                accepted += 1
        for name, rows in by_kind.items():
            self._write(KINDS[name], rows)
        refs = {(p.line, p.column.split(".")[0] if p.column and p.column.startswith("features[") else None)
                for p in problems if p.line is not None or (p.column or "").startswith("features[")}
        rejected = len(refs) + (1 if f.parsed.fatal else 0)
        total = len(f.parsed.items) + len([p for p in f.parsed.problems if not f.parsed.fatal])
        status = "accepted" if not problems else ("partial" if accepted + duplicate > 0 else "rejected")
        self.db.executemany("INSERT INTO rejections VALUES (?, ?, ?, ?, ?, ?)",
                            [(sub, f.path.name, p.line, p.column, p.value, p.reason) for p in problems])
        self.db.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (sub, f"field_{kind.name}" if kind else "field_unknown", f.path.name, f.digest, self.now,
                         self.by, total, accepted, duplicate, rejected, status))
        rejections = named(problems, f.path.name)
        return FileResult(f.path, kind.name if kind else None, status, sub, prev_id, total, accepted, duplicate,
                          rejected, rejections)

    def _classify(self, item: Item, row: dict[str, Any]) -> str | Rejection:
        kind = item.kind
        known = self._known(kind)
        key = str(row[kind.key])
        if key not in known:
            known[key] = row["row_hash"]
            return "new"
        if known[key] == row["row_hash"]:
            return "duplicate"
        if kind.versioned:
            known[key] = row["row_hash"]
            return "new"
        return unnamed(item.line, item.column(kind.key), key,
                       f"{kind.key} {key} was already recorded with different content; field records are "
                       f"never edited: send a correction under a new {kind.key}")

    def _write(self, kind: Kind, rows: list[dict[str, Any]]) -> None:
        if kind.versioned:
            for r in rows:
                r["version_id"] = int(self.db.scalar("SELECT nextval('registry_version_seq')"))
        cols = [c for c in rows[0] if c in self._table_columns(kind)]
        self.db.append(kind.table, cols, [[r.get(c) for c in cols] for r in rows])

    def _table_columns(self, kind: Kind) -> set[str]:
        names, _ = self.db.columns(f"SELECT * FROM {kind.table} LIMIT 0")
        return set(names)
