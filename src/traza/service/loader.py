"""Rows from the API go through the same validation as ``traza load``: they are written as a
v1 CSV file and loaded by :func:`traza.ingest.load_paths`."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from traza.core.types import KINDS
from traza.ingest import load_paths
from traza.ingest.load import FileResult, LoadReport
from traza.store.db import Database


def write_v1_csv(path: Path, kind: str, rows: Sequence[dict[str, Any]]) -> Path:
    required, optional = KINDS[kind]
    cols = list(required) + [c for c in optional if any(r.get(c) not in (None, "") for r in rows)]
    for r in rows:
        cols += [c for c in r if c not in cols]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: "" if r.get(c) is None else r.get(c) for c in cols})
    return path


def load_rows(db: Database, kind: str, rows: Sequence[dict[str, Any]], submitted_by: str,
              name: str | None = None, owner: str | None = None,
              inside: Callable[[LoadReport], None] | None = None) -> FileResult:
    """Load rows of one v1 kind; the file is named after the kind so its kind is certain.
    Every value is written as text and read back by the loader's edge (``ingest.edge``), so
    a JSON string is normalised and refused exactly as a CSV cell; ``owner`` and ``inside``
    as for :func:`traza.ingest.load_paths`."""
    with tempfile.TemporaryDirectory(prefix="traza-api-") as tmp:
        path = write_v1_csv(Path(tmp) / (name or f"{kind}-api.csv"), kind, rows)
        report = load_paths(db, [path], submitted_by=submitted_by, owner=owner, inside=inside)
    return report.files[0]
