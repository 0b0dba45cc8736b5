"""A database holding the rule scenario (registry, manifests, amendment, events, watch list)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ports import scenario
from traza.ingest import load_paths
from traza.ports.load import load_file
from traza.store.db import Database


def load_scenario(db: Database, folder: Path) -> None:
    paths = scenario.write(folder)
    load_paths(db, [paths["operators.csv"], paths["authorisations.csv"]])
    for key in ("manifests", "amendment", "events"):
        load_file(db, paths[key])
    with db.transaction():
        for i, (kind, value) in enumerate(scenario.WATCH, start=1):
            db.execute("INSERT INTO port_watchlist VALUES (?, ?, ?, NULL, 'test', CURRENT_TIMESTAMP)", (i, kind, value))


@pytest.fixture
def scenario_db(db: Database, tmp_path: Path) -> Database:
    load_scenario(db, tmp_path / "scenario")
    return db
