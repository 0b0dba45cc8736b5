"""Everything the generators share: calendar, places, chemicals, registry, supply network."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from traza.core.catalogue import Catalogue, default_catalogue
from traza.sim.ledger import Arr
from traza.sim.params import Calendar, SimParams
from traza.sim.places import Places
from traza.sim.profiles import SPECIAL_REGIME
from traza.sim.registry import Registry, RegistryArrays


@dataclass(frozen=True)
class Chemicals:
    codes: tuple[str, ...]
    cas: tuple[str, ...]
    density: Arr  # kg per litre; NaN for solids
    special: Arr  # controlled only inside the special-regime zones

    @cached_property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def liquid(self) -> Arr:
        return ~np.isnan(self.density)


def build_chemicals(catalogue: Catalogue | None = None) -> Chemicals:
    cat = catalogue or default_catalogue()
    chems = cat.chemicals
    return Chemicals(
        codes=tuple(c.code for c in chems),
        cas=tuple(c.cas for c in chems),
        density=np.asarray([c.density_kg_l if c.density_kg_l else np.nan for c in chems]),
        special=np.asarray([c.code in SPECIAL_REGIME for c in chems]),
    )


@dataclass
class World:
    params: SimParams
    places: Places
    chems: Chemicals
    reg: Registry
    # Chemicals each supplier operator trades (importers, producers, distributors).
    carries: dict[int, set[int]] = field(default_factory=dict)
    # Day from which an establishment stops declaring (silent operators); absent: never.
    silent_from: dict[int, int] = field(default_factory=dict)
    # End users authorised to sell too (the "cooperatives" profile's cooperatives).
    resellers: set[int] = field(default_factory=set)
    _arrays: RegistryArrays | None = None

    @property
    def cal(self) -> Calendar:
        return self.params.calendar

    def arrays(self) -> RegistryArrays:
        """Numpy views of the registry, rebuilt when operators or establishments were added."""
        if self._arrays is None or len(self._arrays.est_op) != len(self.reg.est_op) or len(
            self._arrays.role
        ) != len(self.reg.role):
            self._arrays = self.reg.arrays()
        return self._arrays

    def est_dept(self, ests: Arr) -> Arr:
        return self.places.dept_of[self.arrays().est_ubigeo[ests]]
