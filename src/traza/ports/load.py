"""`traza ports load FILES...`: CSV manifests, CSV port events and CUSCAR interchanges, told
apart by content; each file is loaded whole or refused whole."""

from __future__ import annotations

from pathlib import Path

from traza.ports import csv_manifest, cuscar
from traza.ports.errors import PortDataRefused, Problem
from traza.ports.store import LoadResult, save_events, save_manifests
from traza.store.db import Database


def kind_of(path: Path) -> str:
    head = path.read_bytes()[:512].decode("utf-8", "replace").lstrip("\ufeff").lstrip()
    if head.startswith(("UNA", "UNB", "UNH")):
        return "cuscar"
    first = head.splitlines()[0] if head else ""
    return "events" if csv_manifest.is_events(c.strip() for c in first.split(",")) else "csv"


def load_file(db: Database, path: Path, user: str | None = None) -> LoadResult:
    if not path.is_file():
        raise PortDataRefused([Problem(str(path), "-", "-", "no such file")])
    kind = kind_of(path)
    if kind == "events":
        return save_events(db, csv_manifest.read_events(path), path.name)
    manifests = cuscar.read(path) if kind == "cuscar" else csv_manifest.read_manifests(path)
    return save_manifests(db, manifests, path.name, user)
