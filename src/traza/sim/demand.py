"""Legitimate demand: what each end user buys, from whom, month by month.

A flow is one end-user establishment's regular purchases of one chemical from one supplier
establishment. Orders follow from flows: a Poisson number per month, sized by the sector's
norm, the operator's size, the season, the operator's growth and the noise of real trade.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from traza.sim.ledger import Arr, Orders
from traza.sim.profiles import (
    DISTRIBUTOR,
    END_USER,
    IMPORTED,
    IMPORTER,
    PRODUCED,
    PRODUCER,
    PROFILES,
)
from traza.sim.world import World

SECTOR_LIST = tuple(PROFILES)
SEASON = np.asarray([PROFILES[s].seasonality for s in SECTOR_LIST])


@dataclass
class Flows:
    est: Arr
    chem: Arr
    supplier: Arr  # supplier establishment
    base_kg: Arr  # median monthly kg
    freq: Arr  # orders per month
    sector: Arr  # index into SECTOR_LIST
    growth: Arr  # yearly
    step_day: Arr  # a legitimate jump in demand (a mine's new plant) from this day
    step: Arr  # its factor

    def __len__(self) -> int:
        return len(self.est)


def assign_carries(world: World, rng: np.random.Generator) -> None:
    """Which chemicals importers, producers and distributors trade; every chemical has at
    least one importer or producer and one distributor."""
    reg, chems = world.reg, world.chems
    roles = np.asarray(reg.role)
    importers, producers = np.flatnonzero(roles == IMPORTER), np.flatnonzero(roles == PRODUCER)
    distributors = np.flatnonzero(roles == DISTRIBUTOR)
    for op in importers:
        world.carries[int(op)] = {chems.index[c] for c in IMPORTED if rng.random() < 0.35}
    for op in producers:
        world.carries[int(op)] = {chems.index[c] for c in PRODUCED if rng.random() < 0.25}
    for k, code in enumerate(IMPORTED):
        world.carries[int(importers[k % len(importers)])].add(chems.index[code])
    for k, code in enumerate(PRODUCED):
        world.carries[int(producers[k % len(producers)])].add(chems.index[code])
    for op in distributors:
        p = np.where(chems.special, 0.3, 0.45)
        world.carries[int(op)] = {int(c) for c in np.flatnonzero(rng.random(len(chems)) < p)}
    for c in range(len(chems)):
        if not any(c in world.carries[int(d)] for d in distributors):
            world.carries[int(distributors[c % len(distributors)])].add(c)


def supplier_ests(world: World, chem: int, roles: tuple[int, ...], main_only: bool = False) -> Arr:
    """Establishments of active suppliers of ``roles`` trading ``chem``."""
    a = world.arrays()
    ops = [op for op, cs in world.carries.items() if chem in cs and int(a.role[op]) in roles
           and world.reg.legit[op]]
    mask = np.isin(a.est_op, ops)
    if main_only:
        mask &= a.est_code == 0
    return np.flatnonzero(mask)


def build_flows(world: World, rng: np.random.Generator) -> Flows:
    a = world.arrays()
    places, chems = world.places, world.chems
    est_role = a.role[a.est_op]
    sectors = np.asarray([SECTOR_LIST.index(world.reg.sector[op]) for op in a.est_op])
    in_zone = places.zone_of[a.est_ubigeo] >= 0
    parts: dict[str, list[Arr]] = {k: [] for k in ("est", "chem", "base", "sector")}
    for si, s in enumerate(SECTOR_LIST):
        prof = PROFILES[s]
        ests = np.flatnonzero((sectors == si) & (est_role == END_USER) & np.asarray(
            [world.reg.legit[op] for op in a.est_op]))
        if not len(ests) or not prof.mix:
            continue
        use_chem = np.asarray([chems.index[u.chemical] for u in prof.mix])
        prob = np.asarray([u.probability for u in prof.mix])
        held = rng.random((len(ests), len(use_chem))) < prob
        # Cement and salt are declared only inside the zones where they are controlled.
        held &= ~(chems.special[use_chem][None, :] & ~in_zone[ests][:, None])
        none = ~held.any(axis=1)
        allowed = np.where(chems.special[use_chem][None, :] & ~in_zone[ests][:, None], 0.0, prob[None, :])
        held[none, np.argmax(allowed[none], axis=1)] = True
        ei, ui = np.nonzero(held)
        share = np.where(a.est_code[ests[ei]] == 0, 1.0, 0.5)
        base = (np.asarray([u.monthly_kg for u in prof.mix])[ui] * a.size[a.est_op[ests[ei]]] * share
                * rng.lognormal(0.0, 0.5, len(ei)))
        parts["est"].append(ests[ei])
        parts["chem"].append(use_chem[ui])
        parts["base"].append(base)
        parts["sector"].append(np.full(len(ei), si))
    est = np.concatenate(parts["est"]).astype(np.int32)
    chem = np.concatenate(parts["chem"]).astype(np.int16)
    base = np.concatenate(parts["base"])
    sector = np.concatenate(parts["sector"]).astype(np.int16)
    n = len(est)
    op = a.est_op[est]
    freq = np.asarray([PROFILES[SECTOR_LIST[s]].orders_per_month for s in sector]) * np.clip(
        a.size[op] ** 0.3, 0.5, 3.0)
    op_growth = np.clip(rng.normal(0.04, 0.06, len(a.role)), -0.1, 0.25)
    # A few mines start a new plant: demand jumps for good, and the quota with it.
    step_day = np.full(n, 2**31 - 1, dtype=np.int64)
    step = np.ones(n)
    mines = np.flatnonzero(np.isin(op, [o for o, s in enumerate(world.reg.sector) if s == "mining"]))
    jump_ops = np.unique(op[mines])[rng.random(len(np.unique(op[mines]))) < 0.05]
    cal = world.cal
    for o in jump_ops:
        f = mines[op[mines] == o]
        step_day[f] = rng.integers(cal.start_day + 60, max(cal.start_day + 61, cal.end_day - 60))
        step[f] = rng.uniform(2.0, 3.5)
    supplier = _choose_suppliers(world, rng, est, chem, base)
    flows = Flows(est, chem, supplier, base, freq, sector, op_growth[op], step_day, step)
    if "multi_sourcing" in world.params.honest:
        flows = _multi_source(world, rng, flows)
    return flows


def _multi_source(world: World, rng: np.random.Generator, flows: Flows) -> Flows:
    """The honest profile "multi_sourcing": a third of the end users' flows are split between
    two to four distributors, each taking its share of the orders (a buyer that shops around
    for price and stock)."""
    pick = np.flatnonzero((flows.supplier >= 0) & (rng.random(len(flows)) < 1 / 3))
    k = rng.integers(2, 5, len(pick))
    src = np.repeat(pick, k - 1)  # the extra flows; the original keeps its supplier
    supplier = flows.supplier[src].copy()
    for c in np.unique(flows.chem[src]):
        dist = supplier_ests(world, int(c), (DISTRIBUTOR,))
        at = np.flatnonzero(flows.chem[src] == c)
        if len(dist) > 1:
            supplier[at] = dist[rng.integers(0, len(dist), len(at))]
    a = world.arrays()
    supplier[a.est_op[supplier] == a.est_op[flows.est[src]]] = -1  # never from itself
    share = np.ones(len(flows))
    share[pick] = 1.0 / k
    cols = {f.name: getattr(flows, f.name) for f in fields(Flows)}
    cols["base_kg"], cols["freq"] = cols["base_kg"] * share, cols["freq"] * share
    extra = {name: supplier if name == "supplier" else col[src] for name, col in cols.items()}
    return Flows(**{name: np.concatenate([col, extra[name]]) for name, col in cols.items()})


def _choose_suppliers(world: World, rng: np.random.Generator, est: Arr, chem: Arr, base: Arr) -> Arr:
    """Big users buy straight from an importer or producer; the rest from a distributor's
    establishment, in their own department three times out of four when one trades the chemical."""
    a = world.arrays()
    dept = world.est_dept(est)
    out = np.full(len(est), -1, dtype=np.int32)
    u = rng.random(len(est))
    local = rng.random(len(est)) < 0.75
    for c in np.unique(chem):
        f = np.flatnonzero(chem == c)
        upstream = supplier_ests(world, int(c), (IMPORTER, PRODUCER), main_only=True)
        dist = supplier_ests(world, int(c), (DISTRIBUTOR,))
        if not len(dist):
            dist = upstream
        direct = (base[f] > 30000) & (len(upstream) > 0)
        if direct.any():
            out[f[direct]] = upstream[(u[f[direct]] * len(upstream)).astype(np.int64)]
        rest = f[~direct]
        out[rest] = dist[(u[rest] * len(dist)).astype(np.int64)]
        dist_dept = world.est_dept(dist)
        for d in np.unique(dept[rest]):
            near = dist[dist_dept == d]
            pick = rest[(dept[rest] == d) & local[rest]]
            if len(near) and len(pick):
                out[pick] = near[(u[pick] * len(near)).astype(np.int64)]
    # A flow never buys from its own establishment.
    same = a.est_op[out] == a.est_op[est]
    out[same] = -1
    return out


def pack_round(kg: Arr) -> Arr:
    """Round to the packaging trade uses: bottles, 25 kg bags, drums, one-tonne bags, tankers."""
    pack = np.select([kg < 50, kg < 1000, kg < 20000], [1.0, 25.0, 200.0], 1000.0)
    out: Arr = np.maximum(1.0, np.round(kg / pack)) * pack
    return out


def delivery_lags(rng: np.random.Generator, n: int) -> Arr:
    """Days between the seller's and the buyer's declaration: same day, transit, late filers."""
    u = rng.random(n)
    return np.select(
        [u < 0.5, u < 0.88, u < 0.98],
        [0, rng.integers(1, 4, n), rng.integers(4, 21, n)],
        rng.integers(21, 46, n),
    ).astype(np.int32)


def legit_orders(world: World, flows: Flows, rng: np.random.Generator) -> tuple[Orders, Arr]:
    """Orders of every flow over the period, and the flow index of each order."""
    cal, a = world.cal, world.arrays()
    ok = np.flatnonzero(flows.supplier >= 0)
    months = cal.months
    fi = np.repeat(ok, months)
    mi = np.tile(np.arange(months), len(ok))
    op = a.est_op[flows.est[fi]]
    m_start = cal.month_starts[mi].astype(np.int64)
    t_years = mi / 12.0
    active_from = np.maximum(a.start[op], a.start[a.est_op[flows.supplier[fi]]])
    # Newcomers ramp up over their first half year; established operators trade at full pace.
    ramp = np.where(a.start[op] > cal.start_day,
                    np.clip(0.3 + 0.12 * (m_start - active_from) / 30.0, 0.3, 1.0), 1.0)
    monthly = (flows.base_kg[fi] * SEASON[flows.sector[fi], cal.month_of_year[mi]]
               * (1.0 + flows.growth[fi]) ** t_years * ramp
               * np.where(m_start >= flows.step_day[fi], flows.step[fi], 1.0)
               * rng.lognormal(0.0, 0.2, len(fi)))
    n = rng.poisson(flows.freq[fi])
    oi = np.repeat(np.arange(len(fi)), n)
    f = fi[oi]
    day = m_start[oi] + (rng.random(len(oi)) * cal.month_lengths[mi[oi]]).astype(np.int64)
    keep = (day >= active_from[oi]) & (day <= np.minimum(a.stop[op[oi]], cal.end_day))
    oi, f, day = oi[keep], f[keep], day[keep]
    kg = pack_round(monthly[oi] / flows.freq[f] * rng.lognormal(0.0, 0.15, len(oi)))
    k = len(oi)
    noisy = rng.random(k) < 0.06
    factor = np.where(noisy, rng.uniform(0.995, 1.005, k), 1.0)
    orders = Orders.make(
        seller=flows.supplier[f], buyer=a.est_op[flows.est[f]], buyer_est=flows.est[f],
        chem=flows.chem[f], day=day, lag=delivery_lags(rng, k), kg=kg, buyer_factor=factor,
        dest=a.est_ubigeo[flows.est[f]], doc_shared=rng.random(k) < 0.88, scheme=-1,
    )
    return orders, f.astype(np.int32)
