"""Rows from the API go through the same validation as ``traza load``: they are handed to
:func:`traza.ingest.load_paths` in memory, as the v1 CSV file of their kind they would be."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from traza.core.types import KINDS
from traza.ingest import load_paths
from traza.ingest.load import FileResult, LoadReport
from traza.ingest.records import Records
from traza.store.db import Database


def v1_records(name: str, kind: str, rows: Sequence[dict[str, Any]]) -> Records:
    """``rows`` as the table of a v1 file of ``kind``: its required columns, the optional ones
    some row fills, then any other column a row names (refused or kept as the loader says)."""
    required, optional = KINDS[kind]
    cols = list(required) + [c for c in optional if any(r.get(c) not in (None, "") for r in rows)]
    for r in rows:
        cols += [c for c in r if c not in cols]
    return Records(name, cols, [["" if r.get(c) is None else str(r.get(c)) for c in cols] for r in rows])


def load_rows(db: Database, kind: str, rows: Sequence[dict[str, Any]], submitted_by: str,
              name: str | None = None, owner: str | None = None,
              inside: Callable[[LoadReport], None] | None = None) -> FileResult:
    """Load rows of one v1 kind; named after the kind so its kind is certain. Every value is
    read by the loader's edge (``ingest.edge``) as text, so a JSON string is normalised and
    refused exactly as a CSV cell; ``owner`` and ``inside`` as for :func:`traza.ingest.load_paths`."""
    records = v1_records(name or f"{kind}-api.csv", kind, rows)
    report = load_paths(db, [], submitted_by=submitted_by, owner=owner, inside=inside, records=[records])
    return report.files[0]
