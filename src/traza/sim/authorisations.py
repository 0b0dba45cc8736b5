"""Authorisations: what each operator may do with each chemical, year by year, and its
annual quota. Quotas were granted on each operator's honest needs with 30-100 % headroom,
so legitimate trade never breaches them; a scheme may pin a quota below its own volume."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from traza.core.types import MOVEMENT_SIGN
from traza.sim.ledger import Arr, Rows, T
from traza.sim.params import from_day, to_day
from traza.sim.profiles import DISTRIBUTOR, IMPORTER, PRODUCER
from traza.sim.world import World

ACTIVITIES_BY_ROLE = {
    IMPORTER: "import;sell;store;transport",
    PRODUCER: "produce;sell;store;transport",
    DISTRIBUTOR: "buy;sell;store;transport",
}
INFLOW_TYPES = [T[t] for t, s in MOVEMENT_SIGN.items() if s > 0]


@dataclass(frozen=True)
class Authorisation:
    op: int
    chem: int
    activities: str
    quota_kg: float
    valid_from: int
    valid_to: int


def build_authorisations(world: World, rows: Rows, declared_kg: Arr, overrides: list[tuple[int, int, int, float]],
                         rng: np.random.Generator) -> list[Authorisation]:
    a, cal, nc = world.arrays(), world.cal, len(world.chems)
    years = np.asarray(cal.years)
    year_start = np.asarray([to_day(from_day(cal.start_day).replace(year=int(y), month=1, day=1)) for y in years])
    op = a.est_op[rows["est"]]
    y = np.searchsorted(year_start, rows["day"], side="right") - 1
    inflow = np.isin(rows["type"], INFLOW_TYPES)
    exported = {(int(o), int(c)) for o, c in zip(op[rows["type"] == T["export"]],
                                                  rows["chem"][rows["type"] == T["export"]], strict=True)}
    key = (op.astype(np.int64) * nc + rows["chem"]) * len(years) + y
    uniq, inv = np.unique(key, return_inverse=True)
    total = np.bincount(inv, weights=np.where(inflow, declared_kg, 0.0), minlength=len(uniq))
    override = {(o, c, yr): q for o, c, yr, q in overrides}
    reg = world.reg
    yi = (uniq % len(years)).astype(np.int64)
    o = (uniq // len(years) // nc).astype(np.int64)
    c = (uniq // len(years) % nc).astype(np.int64)
    year_end = np.asarray([to_day(from_day(int(d)).replace(month=12, day=31)) for d in year_start])
    first = np.maximum(year_start[yi], np.asarray(reg.registered_on)[o])
    last = np.minimum(year_end[yi], a.stop[o])
    # Annualise the months the operator actually traded in that year of the period.
    active = (cal.month_of(np.minimum(last, cal.end_day)) - cal.month_of(np.maximum(first, cal.start_day)) + 1)
    quota = np.maximum(100.0, np.ceil(total * 12.0 / np.maximum(active, 1) * rng.uniform(1.3, 2.0, len(uniq))
                                      / 100.0) * 100.0)
    listed = np.asarray(reg.listed)[o] & (first <= last)
    out = []
    for k in np.flatnonzero(listed):
        ok, ck, year = int(o[k]), int(c[k]), int(years[yi[k]])
        activities = ACTIVITIES_BY_ROLE.get(int(a.role[ok]), "buy;use;store")
        if ok in world.resellers:  # a cooperative sells on what it buys for its members
            activities = "buy;sell;store;transport"
        if (ok, ck) in exported:
            activities += ";export"
        q = override.get((ok, ck, year), float(quota[k]))
        out.append(Authorisation(ok, ck, activities, q, int(first[k]), int(last[k])))
    return out
