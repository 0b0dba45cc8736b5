"""The supply side: distributors restock their branches and buy from importers and
producers; importers import through Callao and producers produce. Each level orders what
its customers took, keeping a stock that covers about a month of sales, so every book
balances without anyone planning it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from traza.core.types import MOVEMENT_SIGN
from traza.sim.demand import pack_round, supplier_ests
from traza.sim.ledger import DOC_CUSTOMS, Arr, Orders, Rows, T
from traza.sim.profiles import (
    DISTRIBUTOR,
    EXPORT_DESTINATIONS,
    IMPORTED,
    IMPORTER,
    PRODUCED,
    PRODUCER,
)
from traza.sim.world import World

SIGN = np.asarray(list(MOVEMENT_SIGN.values()), dtype=np.int8)


@dataclass
class Openings:
    """Stock each holding (establishment, chemical) holds when the period starts."""

    est: Arr
    chem: Arr
    kg: Arr


def _matrix(keys: Arr, month: Arr, kg: Arr, uniq: Arr, months: int) -> Arr:
    h = np.searchsorted(uniq, keys)
    ok = (month >= 0) & (month < months) & (h < len(uniq))
    ok[ok] &= uniq[h[ok]] == keys[ok]
    return np.bincount(h[ok] * months + month[ok], weights=kg[ok],
                       minlength=len(uniq) * months).reshape(len(uniq), months)


def replenish(out: Arr, fixed_in: Arr, opening: Arr, target: Arr) -> Arr:
    """What each holding must receive each month so that its stock ends near ``target``."""
    stock = opening.copy()
    inflow = np.zeros_like(out)
    for m in range(out.shape[1]):
        need = out[:, m] - fixed_in[:, m] + target - stock
        inflow[:, m] = np.maximum(need, 0.0)
        stock += fixed_in[:, m] + inflow[:, m] - out[:, m]
    return inflow


class SupplyBuilder:
    def __init__(self, world: World, rng: np.random.Generator) -> None:
        self.world, self.rng = world, rng
        self.nc = len(world.chems)
        self.openings: list[Openings] = []

    def _flows(self, level: Arr, orders: list[Orders], rows: list[Rows]) -> tuple[Arr, Arr, Arr]:
        """Holdings of the establishments ``level`` and their monthly out- and fixed inflows."""
        cal, nc, months = self.world.cal, self.nc, self.world.cal.months
        ks, ms, vs, sides = [], [], [], []
        for o in orders:
            s = np.isin(o["seller"], level)
            ks.append(o["seller"][s].astype(np.int64) * nc + o["chem"][s])
            ms.append(cal.month_of(o["day"][s]))
            vs.append(o["kg"][s])
            sides.append(np.zeros(s.sum(), dtype=bool))
            b = np.isin(o["buyer_est"], level)
            ks.append(o["buyer_est"][b].astype(np.int64) * nc + o["chem"][b])
            ms.append(cal.month_of(o["day"][b] + o["lag"][b]))
            vs.append(o["kg"][b])
            sides.append(np.ones(b.sum(), dtype=bool))
        for r in rows:
            s = np.isin(r["est"], level) & (SIGN[r["type"]] != 0)
            ks.append(r["est"][s].astype(np.int64) * nc + r["chem"][s])
            ms.append(cal.month_of(r["day"][s]))
            vs.append(r["kg"][s])
            sides.append(SIGN[r["type"][s]] > 0)
        k, m, v, inbound = (np.concatenate(x) for x in (ks, ms, vs, sides))
        uniq = np.unique(k)
        return uniq, _matrix(k[~inbound], m[~inbound], v[~inbound], uniq, months), _matrix(
            k[inbound], m[inbound], v[inbound], uniq, months)

    def _restock(self, level: Arr, orders: list[Orders], rows: list[Rows]) -> tuple[Arr, Arr]:
        uniq, out, fixed = self._flows(level, orders, rows)
        active = np.maximum((out > 0).sum(axis=1), 1)
        # Over a month of sales in stock: each level restocks early in the month, before its
        # customers' orders come in, so no book dips below zero between deliveries.
        target = np.maximum(out.sum(axis=1) / active * self.rng.uniform(1.2, 2.0, len(uniq)),
                            1.1 * np.quantile(out, 0.9, axis=1))
        opening = target * self.rng.uniform(0.9, 1.1, len(uniq))
        self.openings.append(Openings((uniq // self.nc).astype(np.int32), (uniq % self.nc).astype(np.int16),
                                      opening))
        return uniq, replenish(out, fixed, opening, target)

    def _deliveries(self, uniq: Arr, inflow: Arr, first: int, last: int) -> tuple[Arr, Arr, Arr, Arr]:
        """Split each month's need into one to three deliveries between days ``first`` and
        ``last`` of the month (upstream levels earlier than downstream ones)."""
        cal = self.world.cal
        h, m = np.nonzero(inflow > 0.5)
        kg = inflow[h, m]
        pieces = 1 + (kg > 20000) + (kg > 100000)
        i = np.repeat(np.arange(len(h)), pieces)
        span = np.maximum(np.minimum(cal.month_lengths[m[i]], last + 1) - first, 1)
        day = cal.month_starts[m[i]] + first + (self.rng.random(len(i)) * span).astype(np.int64)
        day = np.minimum(day, cal.end_day)
        part = np.ceil(kg[i] / pieces[i] / 25.0) * 25.0
        part = np.where(part > 1000, pack_round(part), part)
        return (uniq[h[i]] // self.nc).astype(np.int32), (uniq[h[i]] % self.nc).astype(np.int16), day, part

    def build(self, orders: list[Orders], rows: list[Rows]) -> tuple[list[Orders], list[Rows]]:
        world, rng = self.world, self.rng
        a = world.arrays()
        legit = np.asarray(world.reg.legit)[a.est_op]
        dist = legit & (a.role[a.est_op] == DISTRIBUTOR)
        new_orders: list[Orders] = []
        new_rows: list[Rows] = []
        # Branches restock from their own main establishment.
        uniq, inflow = self._restock(np.flatnonzero(dist & (a.est_code > 0)), orders, rows)
        est, chem, day, kg = self._deliveries(uniq, inflow, 8, 14)
        main = self._main_est()
        new_orders.append(Orders.make(
            seller=main[a.est_op[est]], buyer=a.est_op[est], buyer_est=est, chem=chem, day=day,
            lag=rng.integers(0, 3, len(est)), kg=kg, dest=a.est_ubigeo[est], internal=True,
            doc_shared=True, scheme=-1))
        # Main establishments buy from importers and producers.
        uniq, inflow = self._restock(np.flatnonzero(dist & (a.est_code == 0)), orders + new_orders, rows)
        est, chem, day, kg = self._deliveries(uniq, inflow, 2, 6)
        seller = self._upstream(a.est_op[est], chem)
        new_orders.append(Orders.make(
            seller=seller, buyer=a.est_op[est], buyer_est=est, chem=chem, day=day,
            lag=supply_lags(rng, len(est)), kg=kg, dest=a.est_ubigeo[est],
            doc_shared=rng.random(len(est)) < 0.9, scheme=-1))
        # Importers and producers export a little, then import or produce what they sold.
        top = np.flatnonzero(legit & np.isin(a.role[a.est_op], (IMPORTER, PRODUCER)) & (a.est_code == 0))
        exports = self._exports(top, orders + new_orders)
        new_rows.append(exports)
        uniq, inflow = self._restock(top, orders + new_orders, rows + [exports])
        est, chem, day, kg = self._deliveries(uniq, inflow, 0, 1)
        importer = a.role[a.est_op[est]] == IMPORTER
        new_rows.append(self._imports(est[importer], chem[importer], day[importer], kg[importer]))
        p = ~importer
        new_rows.append(Rows.make(est=est[p], day=day[p], type=T["production"], chem=chem[p], kg=kg[p],
                                  cp=-1, cp_est=-1, dest=-1, country=-1, doc_est=-1, doc_num=-1, scheme=-1))
        return new_orders, new_rows

    def _main_est(self) -> Arr:
        a = self.world.arrays()
        main = np.full(len(a.role), -1, dtype=np.int32)
        m = np.flatnonzero(a.est_code == 0)
        main[a.est_op[m]] = m
        return main

    def _upstream(self, ops: Arr, chem: Arr) -> Arr:
        """One importer or producer per (distributor, chemical), producers preferred for what
        Peru makes."""
        world = self.world
        produced = {world.chems.index[c] for c in PRODUCED}
        imported = {world.chems.index[c] for c in IMPORTED}
        out = np.empty(len(ops), dtype=np.int32)
        pairs, inverse = np.unique(ops.astype(np.int64) * self.nc + chem, return_inverse=True)
        choice = np.empty(len(pairs), dtype=np.int32)
        for c in np.unique(pairs % self.nc):
            sel = np.flatnonzero(pairs % self.nc == c)
            prod = supplier_ests(world, int(c), (PRODUCER,), main_only=True)
            imp = supplier_ests(world, int(c), (IMPORTER,), main_only=True)
            pool_p = prod if len(prod) else imp
            pool_i = imp if len(imp) else prod
            use_p = (self.rng.random(len(sel)) < (0.8 if int(c) in produced else 0.0)) | (int(c) not in imported)
            u = self.rng.random(len(sel))
            choice[sel] = np.where(use_p, pool_p[(u * len(pool_p)).astype(np.int64) % max(len(pool_p), 1)]
                                   if len(pool_p) else -1,
                                   pool_i[(u * len(pool_i)).astype(np.int64) % max(len(pool_i), 1)]
                                   if len(pool_i) else -1)
        out[:] = choice[inverse]
        if "restocking" in self.world.params.honest:
            self._restock_anywhere(out, ops, chem)
        return out

    def _restock_anywhere(self, out: Arr, ops: Arr, chem: Arr) -> None:
        """The honest profile "restocking": half the distributors buy each delivery from
        whichever importer or producer has stock, not from one supplier per chemical."""
        shifty = self.rng.random(int(ops.max(initial=0)) + 1) < 0.5
        for c in np.unique(chem):
            sel = np.flatnonzero((chem == c) & shifty[ops])
            pool = np.concatenate([supplier_ests(self.world, int(c), (IMPORTER,), main_only=True),
                                   supplier_ests(self.world, int(c), (PRODUCER,), main_only=True)])
            if len(sel) and len(pool) > 1:
                out[sel] = pool[self.rng.integers(0, len(pool), len(sel))]

    def _exports(self, level: Arr, orders: list[Orders]) -> Rows:
        uniq, out, _ = self._flows(level, orders, [])
        a, rng, cal = self.world.arrays(), self.rng, self.world.cal
        producer = a.role[a.est_op[(uniq // self.nc)]] == PRODUCER
        rate = np.where(producer, 0.15, 0.03)[:, None]
        h, m = np.nonzero((out > 0) & (rng.random(out.shape) < rate))
        kg = pack_round(out[h, m] * rng.uniform(0.05, 0.25, len(h)))
        day = np.minimum(cal.month_starts[m] + (rng.random(len(h)) * cal.month_lengths[m]).astype(np.int64),
                         cal.end_day)
        return Rows.make(est=(uniq[h] // self.nc), day=day, type=T["export"], chem=uniq[h] % self.nc, kg=kg,
                         cp=-1, cp_est=-1, dest=-1, doc_kind=DOC_CUSTOMS, doc_est=-1, doc_num=-1, scheme=-1,
                         country=rng.integers(0, len(EXPORT_DESTINATIONS), len(h)))

    def _imports(self, est: Arr, chem: Arr, day: Arr, kg: Arr) -> Rows:
        """Imports through Callao, each from one of the chemical's usual origin countries;
        ``country`` indexes ``countries()``."""
        codes = self.world.chems.codes
        countries = import_countries()
        idx = np.empty(len(est), dtype=np.int16)
        u = self.rng.random(len(est))
        for c in np.unique(chem):
            sel = chem == c
            origins = IMPORTED.get(codes[int(c)], ("US",))
            idx[sel] = [countries.index(origins[int(x * len(origins))]) for x in u[sel]]
        return Rows.make(est=est, day=day, type=T["import"], chem=chem, kg=kg, cp=-1, cp_est=-1, dest=-1,
                         country=idx, doc_kind=DOC_CUSTOMS, doc_est=-1, doc_num=-1, scheme=-1)


def import_countries() -> list[str]:
    """Country codes a row's ``country`` index refers to: export destinations first."""
    out = list(EXPORT_DESTINATIONS)
    for origins in IMPORTED.values():
        out += [c for c in origins if c not in out]
    return out


def supply_lags(rng: np.random.Generator, n: int) -> Arr:
    """Distributors book their restocking promptly; a few file days late."""
    u = rng.random(n)
    return np.select([u < 0.6, u < 0.95], [0, rng.integers(1, 4, n)], rng.integers(4, 11, n)).astype(np.int32)
