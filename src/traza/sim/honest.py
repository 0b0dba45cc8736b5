"""Honest-behaviour profiles applied to the legitimate orders once the schemes are planted:
"growth", "seasonal", "late_filers", "large_miners" and "cooperatives" (the last in
``traza.sim.coops``).

They were written without reading the detection rules, from what Peruvian chemical users and
traders legitimately do, so that they can serve as a held-out test of false alerts.

Why after the schemes: the planted schemes then are exactly those of the default country with
the same seed, and a profile can leave every scheme member alone ("only honest operators
change"). Each profile draws from its own generator (seed, 5000 + its index), never from the
simulation's streams, so naming none leaves the output bit for bit unchanged and naming one
does not shift the random numbers of another. Every change is to orders, before stock,
consumption, restocking, counts and quotas are derived from them, so those follow: a buyer
consumes what it buys, a distributor restocks what it sells, quotas (set on each year's
declared inflow with 30-100 % headroom) grow with the operator.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from traza.sim.coops import cooperatives
from traza.sim.demand import SEASON, SECTOR_LIST, pack_round, supplier_ests
from traza.sim.ledger import Arr, Orders
from traza.sim.params import HONEST_PROFILES
from traza.sim.profiles import DISTRIBUTOR, END_USER, IMPORTER, PRODUCER
from traza.sim.registry import NEVER
from traza.sim.world import World

ORDER_PROFILES: Final = ("large_miners", "growth", "seasonal", "cooperatives", "late_filers")

# Much stronger seasons than profiles.py's, January first (normalised to a mean of 1 below).
# Farm stores and growers in the valleys buy most of the year's lime, fuel and fertiliser
# inputs for planting (Sep-Dec: about 70 % of the year); water works dose twice as much
# hypochlorite and lime in the rainy months, when turbid river water reaches the plants;
# builders and municipalities (cement in the special-regime zones) pour in the dry months,
# when roads are open; mines slow down in the rains, when pits flood and roads close.
STRONG_SEASON: Final[dict[str, tuple[float, ...]]] = {
    "agriculture": (0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 1.2, 2.4, 2.6, 2.0, 1.3),
    "water_treatment": (1.6, 1.7, 1.5, 1.0, 0.8, 0.75, 0.75, 0.75, 0.8, 0.85, 0.9, 1.3),
    "other": (0.6, 0.5, 0.6, 0.9, 1.2, 1.4, 1.5, 1.5, 1.3, 1.1, 0.8, 0.6),
    "mining": (0.65, 0.6, 0.75, 1.0, 1.1, 1.15, 1.15, 1.15, 1.1, 1.1, 1.05, 0.9),
}


def profile_rng(world: World, name: str) -> np.random.Generator:
    return np.random.default_rng([world.params.seed, 5000 + HONEST_PROFILES.index(name)])


def shape_orders(world: World, orders: Orders, members: set[int]) -> tuple[Orders, list[Orders]]:
    """The legitimate orders with the named profiles applied, and any new honest orders
    (cooperatives' sales to their members). ``members``: operators in a planted scheme,
    left as they are. Returns ``orders`` itself and no new orders when no profile is named."""
    named = [p for p in ORDER_PROFILES if p in world.params.honest]
    extra: list[Orders] = []
    for name in named:
        rng = profile_rng(world, name)
        if name == "large_miners":
            orders = large_miners(world, orders, members, rng)
        elif name == "growth":
            growth(world, orders, members, rng)
        elif name == "seasonal":
            seasonal(world, orders, members, rng)
        elif name == "cooperatives":
            extra.append(cooperatives(world, orders, honest_orders(world, orders, members), members, rng))
        else:
            late_filers(world, [orders, *extra], members, rng)
    return orders, extra


def honest_orders(world: World, orders: Orders, members: set[int]) -> Arr:
    """Boolean mask of the orders no scheme touched, between operators in no scheme."""
    a = world.arrays()
    out: Arr = orders["scheme"] < 0
    if members:
        ms = sorted(members)
        out &= ~np.isin(a.est_op[orders["seller"]], ms) & ~np.isin(orders["buyer"], ms)
    return out


def _steady_ops(world: World, members: set[int], roles: tuple[int, ...]) -> Arr:
    """Honest, listed operators of ``roles`` trading over the whole period: newcomers and
    closures keep the default's ramp-up and wind-down, not a profile on top of it."""
    reg, cal = world.reg, world.cal
    return np.asarray([op for op in range(len(reg.role)) if reg.legit[op] and reg.listed[op]
                       and reg.role[op] in roles and op not in members
                       and reg.start[op] <= cal.start_day and reg.stop[op] == NEVER], dtype=np.int64)


def growth(world: World, orders: Orders, members: set[int], rng: np.random.Generator) -> None:
    """The honest profile "growth": a fifth of the end users and distributors grow 30-80 % a
    year. A growing end user (a mine ramping a new pit, a plant adding a line) buys more each
    month and so consumes more; a gaining distributor wins customers from its competitors,
    each switching its regular purchases of a chemical on some day of the period, so its
    sales rise, and with them its purchases (restocking follows sales)."""
    a, cal = world.arrays(), world.cal
    ops = _steady_ops(world, members, (END_USER, DISTRIBUTOR))
    grow = rng.choice(ops, size=round(len(ops) / 5), replace=False) if len(ops) else ops
    rate = np.zeros(len(a.role))
    rate[grow] = rng.uniform(0.3, 0.8, len(grow))
    ok = honest_orders(world, orders, members)
    years = (orders["day"] - cal.start_day) / 365.25
    buyers = np.flatnonzero(ok & (rate[orders["buyer"]] > 0) & (a.role[orders["buyer"]] == END_USER))
    orders["kg"][buyers] = pack_round(orders["kg"][buyers] * (1 + rate[orders["buyer"][buyers]]) ** years[buyers])
    seller_op = a.est_op[orders["seller"]]
    dist = grow[a.role[grow] == DISTRIBUTOR]
    taken = np.zeros(len(orders), dtype=bool)  # a relationship switches to one gainer only
    for d in dist:
        mine = ok & (seller_op == d)
        if not mine.any():
            continue
        # Customers' monthly kg to win by the end of the period: the gainer's own sales times
        # (1 + rate)^years - 1; switching days spread evenly make the gain roughly steady.
        want = orders["kg"][mine].sum() / cal.months * ((1 + rate[d]) ** (cal.months / 12) - 1)
        cand = ok & ~taken & (a.role[seller_op] == DISTRIBUTOR) & (rate[seller_op] == 0)
        cand &= np.isin(orders["chem"], sorted(world.carries.get(int(d), set())))
        own_ests = np.flatnonzero(a.est_op == d)
        local = cand & np.isin(world.est_dept(orders["buyer_est"]), world.est_dept(own_ests))
        cand = local if orders["kg"][local].sum() > cal.months * want else cand
        idx = np.flatnonzero(cand)
        if not len(idx):
            continue
        key = (orders["buyer_est"][idx].astype(np.int64) * len(world.chems) + orders["chem"][idx]) * (
            len(a.est_op)) + orders["seller"][idx]
        rel, inv = np.unique(key, return_inverse=True)
        monthly = np.bincount(inv, weights=orders["kg"][idx]) / cal.months
        order = rng.permutation(len(rel))
        won = order[: int(np.searchsorted(np.cumsum(monthly[order]), want)) + 1]
        switch = np.full(len(rel), NEVER, dtype=np.int64)
        switch[won] = rng.integers(cal.start_day, cal.end_day + 1, len(won))
        moved = idx[orders["day"][idx] >= switch[inv]]
        # The gainer serves a customer from its establishment in the customer's department,
        # or else from its main one.
        main = own_ests[a.est_code[own_ests] == 0][0]
        depts = world.est_dept(own_ests)
        near = {int(dp): int(e) for e, dp in zip(own_ests[::-1], depts[::-1], strict=True)}
        orders["seller"][moved] = [near.get(int(dp), int(main)) for dp in world.est_dept(orders["buyer_est"][moved])]
        taken[idx[np.isin(inv, won)]] = True


def seasonal(world: World, orders: Orders, members: set[int], rng: np.random.Generator) -> None:
    """The honest profile "seasonal": farm stores and growers (inside the special-regime
    zones too), water works, builders and mines follow STRONG_SEASON instead of the mild
    default seasons. Each operator's calendar shifts by up to a month (planting and rains
    come earlier in some valleys than in others). Orders keep their number and their day;
    each month's quantities scale, so yearly volumes stay near the sector's norm."""
    a, cal = world.arrays(), world.cal
    sector = np.asarray(world.reg.sector, dtype=object)
    shift = rng.choice([-1, 0, 0, 1], size=len(a.role))
    ok = honest_orders(world, orders, members) & (a.role[orders["buyer"]] == END_USER)
    moy = cal.month_of_year[np.clip(cal.month_of(orders["day"]), 0, cal.months - 1)].astype(np.int64)
    for name, curve in STRONG_SEASON.items():
        strong = np.asarray(curve) / np.mean(curve)
        sel = np.flatnonzero(ok & (sector[orders["buyer"]] == name))
        m = moy[sel]
        factor = strong[(m - shift[orders["buyer"][sel]]) % 12] / SEASON[SECTOR_LIST.index(name), m]
        orders["kg"][sel] = pack_round(orders["kg"][sel] * factor)


def large_miners(world: World, orders: Orders, members: set[int], rng: np.random.Generator) -> Orders:
    """The honest profile "large_miners": a handful of mines (three to eight) are giants,
    buying 5-20 times what the sector's median mine buys. Each of their orders becomes
    several deliveries over the following days, from two to four suppliers per chemical
    (importers, producers and distributors that trade it): no single supplier carries a
    large pit. Their quotas follow, being set on their declared inflow."""
    a, cal = world.arrays(), world.cal
    ok = honest_orders(world, orders, members)
    sector = np.asarray(world.reg.sector, dtype=object)
    mines = _steady_ops(world, members, (END_USER,))
    mines = mines[sector[mines] == "mining"]
    volume = np.bincount(orders["buyer"][ok], weights=orders["kg"][ok], minlength=len(a.role))
    mines = mines[volume[mines] > 0]
    if not len(mines):
        return orders
    typical = float(np.median(volume[mines]))
    giants = rng.choice(mines, size=min(len(mines), max(3, min(8, round(len(mines) / 15)))), replace=False)
    parts: list[Orders] = [orders]
    for g in giants:
        scale = max(1.5, rng.uniform(5.0, 20.0) * typical / volume[g])
        copies = int(np.ceil(np.sqrt(scale)))  # more deliveries, each somewhat larger
        idx = np.flatnonzero(ok & (orders["buyer"] == g))
        orders["kg"][idx] = pack_round(orders["kg"][idx] * scale / copies)
        rep = orders.take(np.repeat(idx, copies - 1))
        rep["day"] = np.minimum(rep["day"] + rng.integers(1, 11, len(rep)), cal.end_day)
        for c in np.unique(rep["chem"]):
            pool = np.concatenate([supplier_ests(world, int(c), (IMPORTER, PRODUCER), main_only=True),
                                   supplier_ests(world, int(c), (DISTRIBUTOR,))])
            pool = pool[~np.isin(a.est_op[pool], sorted(members))]
            if not len(pool):
                continue
            chosen = rng.choice(pool, size=min(len(pool), int(rng.integers(1, 4))), replace=False)
            at = np.flatnonzero(rep["chem"] == c)
            # The first copy of each order keeps the original supplier; the rest spread.
            rep["seller"][at] = chosen[rng.integers(0, len(chosen), len(at))]
        parts.append(rep)
    return Orders.concat(parts)


def late_filers(world: World, tables: list[Orders], members: set[int], rng: np.random.Generator) -> None:
    """The honest profile "late_filers": a quarter of the end users and distributors file in
    batches. An end user declares all it received in a month on one day between the 10th and
    the 15th of the next month; a distributor declares a month's sales the same way, so its
    customers often declare their purchase before it does. The latest declaration comes 45
    days after the movement, the latest the default's buyers take, within the tolerance the
    regulator applies to monthly reporting; near the end of the period the last batches are
    not filed yet, as in the default."""
    a, cal = world.arrays(), world.cal
    ops = _steady_ops(world, members, (END_USER, DISTRIBUTOR))
    late = np.zeros(len(a.role), dtype=bool)
    if len(ops):
        late[rng.choice(ops, size=round(len(ops) / 4), replace=False)] = True
    # The filing day of each operator and month: the 10th to the 15th of the next month.
    offset = rng.integers(9, 15, (len(a.role), cal.months))
    for o in tables:
        ok = honest_orders(world, o, members) & ~o["internal"]
        m = np.clip(cal.month_of(o["day"]), 0, cal.months - 1)
        declared = o["day"] + o["lag"]  # the buyer's declaration
        # Not a cooperative's bulk purchases (use False): it sells them on once on its books.
        b = ok & o["use"] & late[o["buyer"]] & (a.role[o["buyer"]] == END_USER)
        declared[b] = cal.month_starts[m[b] + 1] + offset[o["buyer"][b], m[b]]
        seller_op = a.est_op[o["seller"]]
        s = ok & late[seller_op] & (a.role[seller_op] == DISTRIBUTOR)
        o["day"][s] = cal.month_starts[m[s] + 1] + offset[seller_op[s], m[s]]
        # The buyer's declaration stays where it was: lag is counted from the seller's day
        # and is negative when the buyer filed first.
        o["lag"] = declared - o["day"]
