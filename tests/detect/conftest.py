"""Fixtures of the detection tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.cases import COUNTRY, World
from traza.sim.build import simulate
from traza.sim.write import write_simulation


@pytest.fixture
def world(tmp_path: Path) -> World:
    """An empty registry and ledger to build a rule's case in."""
    return World(tmp_path / "case")



@pytest.fixture(scope="session")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulated country's folder: the four v1 files and truth.csv."""
    folder = tmp_path_factory.mktemp("country")
    write_simulation(simulate(COUNTRY), folder)
    return folder

