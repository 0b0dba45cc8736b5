"""Small simulations shared by the simulator's tests (generated once per session)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from traza.sim.build import Simulation, simulate
from traza.sim.params import SimParams
from traza.sim.write import write_simulation

SMALL = SimParams(operators=300, months=12, seed=11, schemes=24)


@dataclass
class Written:
    sim: Simulation
    folder: Path

    def rows(self, name: str) -> list[dict[str, str]]:
        with (self.folder / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """300 operators, 12 months, 24 schemes (two of each typology), no malformed rows."""
    sim = simulate(SMALL)
    folder = tmp_path_factory.mktemp("small")
    write_simulation(sim, folder)
    return Written(sim, folder)


@pytest.fixture(scope="session")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """The same economy with 2 % malformed movement rows."""
    params = SimParams(operators=300, months=12, seed=11, schemes=24, dirty_rate=0.02)
    sim = simulate(params)
    folder = tmp_path_factory.mktemp("dirty")
    write_simulation(sim, folder)
    return Written(sim, folder)
