"""Fixtures of the UBL tests: the test registry loaded, and a folder for documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import Dataset
from traza.ingest import load_paths
from traza.store import Database


@pytest.fixture
def registered(db: Database, data: Dataset) -> Database:
    """``db`` holding the registry of tests.factories.Dataset (seller, buyer, third)."""
    report = load_paths(db, data.write("operators", "establishments", "authorisations"))
    assert report.rows_rejected == 0
    return db


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder
