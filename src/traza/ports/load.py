"""`traza ports load FILES...`: CSV manifests, CSV port events and CUSCAR interchanges, told
apart by content; each file is loaded whole or refused whole."""

from __future__ import annotations

from pathlib import Path

from traza.core import suffixes
from traza.core.types import v1_kind
from traza.ports import csv_manifest, cuscar
from traza.ports.csv_bulk import BULK_ROWS, load_csv_bulk, load_events_bulk
from traza.ports.errors import PortDataRefused, in_message
from traza.ports.store import LoadResult, save_events, save_manifests
from traza.store.db import Database

# A file named as EDIFACT is read as EDIFACT (and refused as such when it is not one), not
# guessed to be a CSV because its first bytes are garbage.
EDIFACT_SUFFIXES = suffixes.EDIFACT


def _head(path: Path) -> str:
    with path.open("rb") as f:  # the first bytes only: a file may be gigabytes
        return f.read(512).decode("utf-8", "replace").lstrip("\ufeff").lstrip()


def holds_edifact(path: Path) -> bool:
    """The file's first bytes open an EDIFACT interchange or message, whatever its name."""
    return _head(path).startswith(("UNA", "UNB", "UNH"))


def kind_of(path: Path) -> str:
    """``cuscar``, ``csv`` (manifests), ``events``, ``workbook`` or ``declarations:<kind>`` (a v1 file)."""
    if path.suffix.lower() in EDIFACT_SUFFIXES:
        return "cuscar"
    head = _head(path)
    if head.startswith(("UNA", "UNB", "UNH")):
        return "cuscar"
    if head.startswith("PK\x03\x04") or path.suffix.lower() == ".xlsx":
        return "workbook"
    first = head.splitlines()[0] if head else ""
    try:  # the header in its one reading (case, spaces and invisible characters aside)
        names = csv_manifest.clean_header(path, [c.strip() for c in first.split(",")])
    except PortDataRefused:
        return "csv"  # the manifest reader refuses the header, naming its column
    if csv_manifest.is_events(names):
        return "events"
    theirs = None if set(csv_manifest.REQUIRED) <= set(names) else v1_kind(names)
    return f"declarations:{theirs}" if theirs else "csv"  # a v1 file: traza load's, named so in the refusal


def load_file(db: Database, path: Path, user: str | None = None, bulk: bool | None = None) -> LoadResult:
    """Load one file; ``bulk`` forces (or rules out) the set-wise CSV path (``csv_bulk``)."""
    if path.is_dir():
        raise PortDataRefused([in_message(str(path), None, None, "is a folder: name its files (e.g. folder/*.csv "
                                                                 "folder/*.edi)")])
    if not path.is_file():
        raise PortDataRefused([in_message(str(path), None, None, "no such file: expected a cargo manifest (CSV or CUSCAR) or a port events CSV")])
    kind = kind_of(path)
    if kind == "workbook":
        raise PortDataRefused([in_message(path.name, None, None, "is a workbook (XLSX): manifests and port events "
                                          "are read as CSV (UTF-8) or CUSCAR; save the sheet as CSV UTF-8")])
    if kind.startswith("declarations:"):
        raise PortDataRefused([in_message(path.name, None, None, f"this file holds {kind.split(':')[1]} (a declaration "
                                          "file): traza loads it with `traza load`, not `traza ports load`")])
    set_wise = kind != "cuscar" and (bulk if bulk is not None else _rows(path) > BULK_ROWS)
    if kind == "events":
        if set_wise:
            return load_events_bulk(db, path)
        return save_events(db, csv_manifest.read_events(path), path.name)
    if kind == "csv" and set_wise:
        return load_csv_bulk(db, path, user)
    manifests = cuscar.read(path) if kind == "cuscar" else csv_manifest.read_manifests(path)
    res = save_manifests(db, manifests, path.name, user)
    res.warnings = [w for m in manifests for w in m.warnings]
    return res


def _rows(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

