"""Planted diversion schemes: one generator per typology, each in its own module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from traza.sim.demand import Flows
from traza.sim.ledger import Arr, Orders
from traza.sim.schemes import (
    circular_trade,
    front_company,
    ghost_buyer,
    inflated_consumption,
    quota_creep,
    relay_chain,
    shrinkage,
    silent_operator,
    skimming,
    structuring,
    substitute_diversion,
    vanishing_transfer,
)
from traza.sim.schemes.base import LEVELS, Member, SchemeContext, SchemeOutput
from traza.sim.world import World

_MODULES: tuple[ModuleType, ...] = (
    ghost_buyer, vanishing_transfer, skimming, shrinkage, quota_creep, structuring, front_company,
    relay_chain, circular_trade, inflated_consumption, silent_operator, substitute_diversion,
)
GENERATORS: dict[str, Callable[[SchemeContext], SchemeOutput]] = {m.TYPOLOGY: m.plant for m in _MODULES}
TYPOLOGIES: tuple[str, ...] = tuple(GENERATORS)

__all__ = ["GENERATORS", "LEVELS", "TYPOLOGIES", "Member", "PlantedScheme", "SchemeOutput", "plant_all"]


@dataclass(frozen=True)
class PlantedScheme:
    index: int
    typology: str
    level: int
    output: SchemeOutput

    @property
    def scheme_id(self) -> str:
        return f"S{self.index + 1:04d}"


def schedule(n: int, seed: int) -> list[tuple[str, int]]:
    """(typology, level) of each scheme: typologies in turn, so that asking for twelve or
    more plants every one; levels rotate within a typology from a random offset."""
    rng = np.random.default_rng([seed, 7])
    order = list(TYPOLOGIES) if n >= len(TYPOLOGIES) else [
        TYPOLOGIES[i] for i in rng.permutation(len(TYPOLOGIES))]
    offset = {t: int(rng.integers(0, len(LEVELS))) for t in TYPOLOGIES}
    out = []
    for i in range(n):
        t = order[i % len(order)]
        out.append((t, (i // len(order) + offset[t]) % len(LEVELS)))
    return out


def plant_all(world: World, flows: Flows, orders: Orders, order_flow: Arr, n: int, seed: int) -> list[PlantedScheme]:
    used: set[int] = set()
    planted = []
    for i, (typology, level) in enumerate(schedule(n, seed)):
        ctx = SchemeContext(world, flows, orders, order_flow, np.random.default_rng([seed, 1000 + i]),
                            i, level, used)
        planted.append(PlantedScheme(i, typology, level, GENERATORS[typology](ctx)))
    return planted
