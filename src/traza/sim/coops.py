"""The honest profile "cooperatives" (see ``traza.sim.honest``): farm cooperatives buy in bulk
for their members and hand the goods on in small lots.

A quarter of the honest farm businesses (at least two, one inside a special-regime zone when
any sits there) are cooperatives of 15 to 40 registered member farmers, who live in the
cooperative's district or province (inside its zone when it sits in one). The cooperative's
regular purchases are resized to its members' needs and not consumed by it: in the days
after each delivery is on its books it sells the lot on in 25 kg bags (or a few litres of
fuel) to a handful of members, who consume what they receive. So the cooperative's book is
the bulk purchase in, many small sales out and a little left over, never below zero.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from traza.sim import names as nm
from traza.sim.demand import delivery_lags, pack_round
from traza.sim.ledger import Arr, Orders
from traza.sim.params import to_day
from traza.sim.profiles import PROFILES
from traza.sim.registry import NEVER, STYLE_KG
from traza.sim.world import World


def cooperatives(world: World, orders: Orders, honest: Arr, members: set[int],
                 rng: np.random.Generator) -> Orders:
    """Turn some farm businesses into cooperatives (editing their orders in place) and return
    their sales to their members."""
    reg, cal, places = world.reg, world.cal, world.places
    a = world.arrays()
    buys = np.bincount(orders["buyer"][honest], minlength=len(a.role)) > 0
    farms = np.asarray([op for op in range(len(reg.role)) if reg.sector[op] == "agriculture"
                        and reg.legit[op] and reg.listed[op] and op not in members and buys[op]
                        and reg.start[op] <= cal.start_day and reg.stop[op] == NEVER], dtype=np.int64)
    if not len(farms):
        return Orders.empty()
    main = {int(a.est_op[e]): int(e) for e in np.flatnonzero(a.est_code == 0)}
    in_zone = np.asarray([places.zone_of[a.est_ubigeo[main[int(op)]]] >= 0 for op in farms])
    n = min(len(farms), max(2, round(len(farms) / 4)))
    picked = list(rng.choice(farms, size=n, replace=False))
    # Some cooperatives sit in the valleys of the special-regime zones.
    if in_zone.any() and not any(in_zone[list(farms).index(p)] for p in picked):
        picked[0] = int(rng.choice(farms[in_zone]))
    typical = {world.chems.index[u.chemical]: u.monthly_kg for u in PROFILES["agriculture"].mix}
    sales: list[Orders] = []
    for coop in picked:
        est = main[int(coop)]
        world.resellers.add(int(coop))  # authorised to sell, as a distributor is
        reg.name[int(coop)] = f"Cooperativa Agraria {nm.CORES[int(rng.integers(len(nm.CORES)))]} Ltda."
        people = _enrol(world, est, int(rng.integers(15, 41)), rng)
        mine = np.flatnonzero(honest & (orders["buyer"] == coop))
        # It buys what its members need, none of it for itself: a smallholder needs a tenth
        # to a fifth of what the sector's typical farm business buys of a chemical.
        for c in np.unique(orders["chem"][mine]):
            at = mine[orders["chem"][mine] == c]
            need = len(people) * typical.get(int(c), 500.0) * rng.uniform(0.1, 0.2)
            orders["kg"][at] = pack_round(orders["kg"][at] * need * cal.months / orders["kg"][at].sum())
        orders["use"][mine] = False
        sales.append(_hand_on(world, orders.take(mine), people, rng))
    return Orders.concat(sales)


def _enrol(world: World, est: int, n: int, rng: np.random.Generator) -> Arr:
    """Register ``n`` member farmers (natural persons, RUC 10) near the cooperative; returns
    their establishments."""
    reg, places, cal = world.reg, world.places, world.cal
    home = int(reg.est_ubigeo[est])
    zone = int(places.zone_of[home])
    if zone >= 0:
        pool = np.flatnonzero(places.zone_of == zone)
    else:
        province = places.ubigeos[home][:4]
        pool = np.asarray([d for d in places.in_provinces((province,)) if places.zone_of[d] < 0] or [home])
    where = np.where(rng.random(n) < 0.5, home, pool[rng.integers(0, len(pool), n)])
    joined = rng.integers(to_day(date(2008, 1, 1)), cal.start_day - 30, n)
    people = nm.person_names(rng, n)
    ests = []
    for k in range(n):
        op = reg.add_operator(rng, sector="agriculture", name=people[k], registered_on=int(joined[k]),
                              start=cal.start_day, size=float(rng.lognormal(-1.5, 0.5)), person=True,
                              legit=True)
        ests.append(reg.add_establishment(rng, op, int(where[k]), STYLE_KG))
    return np.asarray(ests, dtype=np.int64)


def _hand_on(world: World, bulk: Orders, people: Arr, rng: np.random.Generator) -> Orders:
    """Each bulk lot sold on to members in small lots by the establishment that received it,
    1 to 25 days after it declared the purchase (so its book is never short), keeping about
    3 % back."""
    a, cal = world.arrays(), world.cal
    received = bulk["day"] + bulk["lag"]
    lot = np.where(bulk["kg"] >= 200, 25.0, 5.0)  # bags of lime or cement; cans of fuel
    pieces = np.floor(bulk["kg"] * 0.97 / lot).astype(np.int64)
    # A member takes three to nine bags at a time on average: that many sales per lot, each
    # bag going to one of them at random.
    n_sales = np.maximum(1, np.round(pieces / rng.uniform(3, 9, len(bulk)))).astype(np.int64)
    n_sales = np.where(pieces > 0, np.minimum(n_sales, 2 * len(people)), 0)
    i = np.repeat(np.arange(len(bulk)), pieces)
    sale = np.r_[0, np.cumsum(n_sales)[:-1]][i] + (rng.random(len(i)) * n_sales[i]).astype(np.int64)
    kg = np.bincount(sale, weights=lot[i], minlength=int(n_sales.sum()))
    src = np.repeat(np.arange(len(bulk)), n_sales)
    day = received[src] + rng.integers(1, 26, len(src))
    keep = np.flatnonzero((kg > 0) & (day <= cal.end_day))
    src, kg, day = src[keep], kg[keep], day[keep]
    buyer_est = people[rng.integers(0, len(people), len(kg))]
    return Orders.make(
        seller=bulk["buyer_est"][src], buyer=a.est_op[buyer_est], buyer_est=buyer_est,
        chem=bulk["chem"][src], day=day, lag=np.minimum(delivery_lags(rng, len(kg)), 3), kg=kg,
        dest=a.est_ubigeo[buyer_est], doc_shared=rng.random(len(kg)) < 0.8, scheme=-1,
    )
