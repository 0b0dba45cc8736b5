"""Only ``store/`` (and the detection engine adapters) may know which backend is behind a
``Database``: driver connections (``._conn``), driver imports and ``dialect`` branches.

The files listed in ``STILL_OPEN`` are the remaining work of the boundary issue; the test
fails on any new use elsewhere, and on a listed file that no longer needs its entry (so the
list can only shrink). The workbench where files are staged (``store.workbench``) is DuckDB
on every backend; code reaches it through ``Database.workbench()``, never a driver."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "traza"
ALLOWED = ("store/", "detect/engines/")
_USE = re.compile(r"\._?conn\b|\bdialect\s*(?:==|!=|in\b)|^\s*(?:import|from)\s+(?:duckdb|psycopg)\b", re.MULTILINE)
# file -> uses still there (each a place to move behind store.Database)
STILL_OPEN = {
}


def _uses() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(ALLOWED):
            continue
        n = len(_USE.findall(path.read_text(encoding="utf-8")))
        if n:
            found[rel] = n
    return found


def test_no_new_code_outside_the_store_knows_the_backend() -> None:
    found = _uses()
    new = {f: n for f, n in found.items() if n > STILL_OPEN.get(f, 0)}
    assert not new, f"driver or dialect use outside store/: {new} (add a Database method instead)"


def test_the_list_of_remaining_places_only_shrinks() -> None:
    found = _uses()
    stale = {f: n for f, n in STILL_OPEN.items() if found.get(f, 0) < n}
    assert not stale, f"fewer uses than listed, lower STILL_OPEN: {stale} (found {found})"


def test_the_pattern_sees_what_it_is_for() -> None:
    sample = "x = db.conn\ny = db._conn\nif db.dialect == 'duckdb':\n    pass\nimport duckdb\nfrom psycopg import sql\n"
    assert len(_USE.findall(sample)) == 5
