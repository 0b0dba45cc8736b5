"""Where operators sit and where goods go: INEI districts as integer indices.

The simulator draws locations by department weight; inside a department it prefers the
capital province (code ``DDPP`` with ``PP == 01``), where industry and trade concentrate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from traza.core.geo import Geography, default_geography

# Lima's industrial districts (Lima province and Callao) host most of the solvent users.
LIMA_METRO_PROVINCES = ("1501", "0701")
# Provinces next to the coca valleys: trade hubs from which goods travel into them.
GATEWAY_PROVINCES = ("1201", "0501", "0801", "1001", "2209", "2501", "1203")


@dataclass(frozen=True)
class Places:
    ubigeos: tuple[str, ...]
    departments: tuple[str, ...]
    dept_of: np.ndarray  # department index of each district
    zone_of: np.ndarray  # zone index of each district, -1 outside the special-regime zones
    zone_names: tuple[str, ...]
    names: tuple[str, ...]
    # Districts to draw from per department key; filled on first use (the places never change).
    _pool_cache: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def index(self) -> dict[str, int]:
        return {u: i for i, u in enumerate(self.ubigeos)}

    @cached_property
    def dept_index(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.departments)}

    def districts_of(self, department: str) -> np.ndarray:
        return np.flatnonzero(self.dept_of == self.dept_index[department])

    def in_provinces(self, provinces: tuple[str, ...]) -> np.ndarray:
        return np.flatnonzero(np.isin(np.asarray([u[:4] for u in self.ubigeos]), provinces))

    @cached_property
    def zone_districts(self) -> np.ndarray:
        return np.flatnonzero(self.zone_of >= 0)

    def zone_districts_of(self, zone: str) -> np.ndarray:
        return np.flatnonzero(self.zone_of == self.zone_names.index(zone))

    @cached_property
    def gateway_districts(self) -> np.ndarray:
        g = self.in_provinces(GATEWAY_PROVINCES)
        out: np.ndarray = g[self.zone_of[g] < 0]
        return out

    def draw(self, rng: np.random.Generator, weights: dict[str, float], n: int,
             capital_share: float = 0.7) -> np.ndarray:
        """``n`` districts: a department by ``weights`` (``LIMA_METRO`` means Lima and Callao's
        urban districts), then its capital province with probability ``capital_share``."""
        keys = list(weights)
        p = np.asarray([weights[k] for k in keys], dtype=float)
        dept = rng.choice(len(keys), size=n, p=p / p.sum())
        capital = rng.random(n) < capital_share
        u = rng.random(n)
        out = np.empty(n, dtype=np.int32)
        for k, key in enumerate(keys):
            pools = self._pools(key)
            for flag, pool in ((True, pools[0]), (False, pools[1])):
                sel = (dept == k) & (capital == flag)
                if sel.any():
                    use = pool if len(pool) else pools[0]
                    out[sel] = use[(u[sel] * len(use)).astype(np.int64)]
        return out

    def _pools(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        if key not in self._pool_cache:
            if key == "LIMA_METRO":
                metro = self.in_provinces(LIMA_METRO_PROVINCES)
                pools = (metro, metro)
            elif key == "ZONE":
                pools = (self.zone_districts, self.zone_districts)
            elif key == "GATEWAY":
                pools = (self.gateway_districts, self.gateway_districts)
            else:
                d = self.districts_of(key)
                cap = np.asarray([i for i in d if self.ubigeos[i][2:4] == "01"], dtype=np.int64)
                rest = np.asarray([i for i in d if self.ubigeos[i][2:4] != "01"], dtype=np.int64)
                # Outside the zones unless the caller asks for them: zone presence is explicit.
                pools = (cap[self.zone_of[cap] < 0], rest[self.zone_of[rest] < 0])
            self._pool_cache[key] = pools
        return self._pool_cache[key]


def build_places(geo: Geography | None = None) -> Places:
    g = geo or default_geography()
    ubigeos = tuple(sorted(g.districts))
    departments = tuple(sorted({g.districts[u].department for u in ubigeos}))
    zones = tuple(g.zone_names())
    zone_by_ubigeo = {z.ubigeo: zones.index(z.zone) for z in g.zones}
    return Places(
        ubigeos=ubigeos,
        departments=departments,
        dept_of=np.asarray([departments.index(g.districts[u].department) for u in ubigeos], dtype=np.int16),
        zone_of=np.asarray([zone_by_ubigeo.get(u, -1) for u in ubigeos], dtype=np.int8),
        zone_names=zones,
        names=tuple(g.districts[u].name.title() for u in ubigeos),
    )
