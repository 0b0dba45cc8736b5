"""Helpers to look at the schemes planted in the shared small simulation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tests.sim.conftest import Written
from traza.sim.ledger import Arr, T
from traza.sim.schemes import PlantedScheme


@dataclass
class Planted:
    scheme: PlantedScheme
    idx: Arr  # row indices marked with the scheme
    written: Written

    def member(self, role: str) -> int:
        return next(m.op for m in self.scheme.output.members if m.role == role)

    def members(self, role: str) -> list[int]:
        return [m.op for m in self.scheme.output.members if m.role == role]

    def rows_of(self, types: tuple[str, ...]) -> Arr:
        r = self.written.sim.rows
        return self.idx[np.isin(r["type"][self.idx], [T[t] for t in types])]

    def declarant(self, idx: Arr) -> Arr:
        return self.written.sim.world.arrays().est_op[self.written.sim.rows["est"][idx]]


def planted(written: Written, typology: str) -> list[Planted]:
    r = written.sim.rows
    out = [Planted(p, np.flatnonzero(r["scheme"] == p.index), written)
           for p in written.sim.schemes if p.typology == typology]
    assert len(out) == 2, f"the small simulation plants two {typology} schemes"
    assert all(len(p.idx) for p in out)
    return out
