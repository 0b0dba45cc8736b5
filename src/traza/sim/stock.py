"""End users' consumption, and every holding's stock counts with the small shrinkage real
warehouses find: evaporation, spills, scale error. Part of it is declared as a loss, part
is left as a gap between book and count (the honest mess a naive rule trips on)."""

from __future__ import annotations

from datetime import date

import numpy as np

from traza.sim.ledger import Arr, Orders, Rows, T
from traza.sim.params import from_day, to_day
from traza.sim.profiles import END_USER
from traza.sim.supply import SIGN, Openings, _matrix
from traza.sim.world import World


def consumption(world: World, orders: list[Orders], rng: np.random.Generator) -> tuple[Rows, Openings]:
    """Monthly consumption of every end-user holding: what came in, less a working stock of
    about half a month of use, declared on the last day of the month."""
    a, cal, nc = world.arrays(), world.cal, len(world.chems)
    ks, ms, vs = [], [], []
    for o in orders:
        b = (o["buyer_est"] >= 0) & o["buyer_declares"] & o["use"]
        b[b] &= a.role[a.est_op[o["buyer_est"][b]]] == END_USER
        ks.append(o["buyer_est"][b].astype(np.int64) * nc + o["chem"][b])
        ms.append(cal.month_of(o["day"][b] + o["lag"][b]))
        vs.append(o["kg"][b] * o["buyer_factor"][b])
    k, m, v = np.concatenate(ks), np.concatenate(ms), np.concatenate(vs)
    uniq = np.unique(k)
    months = cal.months
    inflow = _matrix(k, m, v, uniq, months)
    active = np.maximum((inflow > 0).sum(axis=1), 1)
    target = inflow.sum(axis=1) / active * rng.uniform(0.3, 0.7, len(uniq))
    est = (uniq // nc).astype(np.int32)
    op = a.est_op[est]
    # Newcomers start with an empty store.
    opening = np.where(a.start[op] > cal.start_day, 0.0, target * rng.uniform(0.8, 1.2, len(uniq)))
    stock = opening.copy()
    used = np.zeros_like(inflow)
    jitter = rng.uniform(0.7, 1.3, inflow.shape)
    for j in range(months):
        used[:, j] = np.maximum(0.0, stock + inflow[:, j] - target * jitter[:, j])
        stock += inflow[:, j] - used[:, j]
    h, mm = np.nonzero(used > 0.005)
    # Declared for the month on its last day, after the month's deliveries.
    day = np.minimum(cal.month_starts[mm] + cal.month_lengths[mm] - 1, cal.end_day)
    rows = Rows.make(est=est[h], day=day, type=T["consumption"], chem=uniq[h] % nc,
                     kg=np.round(used[h, mm], 2), cp=-1, cp_est=-1, dest=-1, country=-1, doc_est=-1,
                     doc_num=-1, scheme=-1)
    keep = rows["day"] <= a.stop[a.est_op[rows["est"]]]
    return rows.take(np.flatnonzero(keep)), Openings(est, (uniq % nc).astype(np.int16), opening)


def count_days(world: World) -> tuple[Arr, Arr]:
    """Quarter ends inside the period (suppliers count quarterly) and which are year ends
    (everyone counts on 31 December)."""
    cal = world.cal
    days, year_end = [], []
    for y in range(from_day(cal.start_day).year, from_day(cal.end_day).year + 1):
        for m, d in ((3, 31), (6, 30), (9, 30), (12, 31)):
            day = to_day(date(y, m, d))
            if cal.start_day <= day <= cal.end_day:
                days.append(day)
                year_end.append(m == 12)
    return np.asarray(days, dtype=np.int64), np.asarray(year_end, dtype=bool)


def stock_counts(world: World, rows: list[Rows], declared_kg: list[Arr], openings: list[Openings],
                 rng: np.random.Generator) -> Rows:
    """Opening counts, periodic counts and shrinkage losses of every holding that declares."""
    a, cal, nc = world.arrays(), world.cal, len(world.chems)
    op_est = np.concatenate([o.est for o in openings])
    op_key = op_est.astype(np.int64) * nc + np.concatenate([o.chem for o in openings])
    op_kg = np.concatenate([o.kg for o in openings])
    keys = [op_key] + [r["est"].astype(np.int64) * nc + r["chem"] for r in rows]
    uniq = np.unique(np.concatenate(keys))
    est = (uniq // nc).astype(np.int32)
    op = a.est_op[est]
    opening = np.zeros(len(uniq))
    opening[np.searchsorted(uniq, op_key)] = op_kg
    grid, year_end = count_days(world)
    g = len(grid)
    book = np.zeros((len(uniq), g + 1))
    first = np.full(len(uniq), np.iinfo(np.int64).max)
    for r, kg in zip(rows, declared_kg, strict=True):
        h = np.searchsorted(uniq, r["est"].astype(np.int64) * nc + r["chem"])
        slot = np.searchsorted(grid, r["day"], side="left")  # a row on a count day counts before it
        _bin_add(book, h, slot, SIGN[r["type"]] * kg)
        np.minimum.at(first, h, r["day"])
    book = opening[:, None] + np.cumsum(book, axis=1)[:, :g]
    start = np.maximum(a.start[op], cal.start_day)
    silent = np.asarray([world.silent_from.get(int(e), 2**31 - 1) for e in est])
    stop = np.minimum(a.stop[op], silent)
    supplier = a.role[op] != END_USER
    listed = np.asarray(world.reg.listed)[op]
    due = ((year_end[None, :] | supplier[:, None]) & (grid[None, :] >= start[:, None])
           & (grid[None, :] <= stop[:, None]) & (grid[None, :] > np.minimum(first, start)[:, None])
           & listed[:, None])
    shrink = np.where(rng.random(book.shape) < 0.6, np.maximum(book, 0) * rng.uniform(0, 0.004, book.shape), 0)
    shrink *= due
    declared = (rng.random(book.shape) < 0.4) & (shrink > 0.5)
    # Declared shrinkage enters the book as a loss; undeclared shrinkage only shows in the count.
    counted = np.maximum(0.0, book - np.cumsum(shrink, axis=1))
    ch, cg = np.nonzero(due)
    counts = Rows.make(est=est[ch], day=grid[cg], type=T["stock_count"], chem=uniq[ch] % nc,
                       kg=np.round(counted[ch, cg], 2), cp=-1, cp_est=-1, dest=-1, country=-1,
                       doc_est=-1, doc_num=-1, scheme=-1)
    lh, lg = np.nonzero(declared)
    # Laboratories destroy expired reagents; now and then a theft is reported to the police.
    lab = np.isin(np.asarray(world.reg.sector, dtype=object)[op[lh]], ("laboratory", "pharma"))
    u = rng.random(len(lh))
    kind = np.where(lab & (u < 0.5), T["destruction"], np.where(u > 0.98, T["theft"], T["loss"]))
    losses = Rows.make(est=est[lh], day=grid[lg], type=kind, chem=uniq[lh] % nc,
                       kg=np.round(shrink[lh, lg], 2), cp=-1, cp_est=-1, dest=-1, country=-1,
                       doc_est=-1, doc_num=-1, scheme=-1)
    has_open = listed & (opening >= 0) & (start <= stop) & (start <= cal.end_day)
    # The opening count closes the day before: it comes unambiguously before the first movement.
    opens = Rows.make(est=est[has_open], day=start[has_open] - 1, type=T["stock_count"],
                      chem=uniq[has_open] % nc, kg=np.round(opening[has_open], 2), cp=-1, cp_est=-1,
                      dest=-1, country=-1, doc_est=-1, doc_num=-1, scheme=-1)
    return Rows.concat([opens, counts, losses])


def _bin_add(book: Arr, h: Arr, slot: Arr, values: Arr) -> None:
    n, g1 = book.shape
    book += np.bincount(h * g1 + slot, weights=values, minlength=n * g1).reshape(n, g1)
