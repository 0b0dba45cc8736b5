"""Circular trade: the same lot goes round three or four companies (A to B to C back to A)
and inflates everyone's turnover, the cover for quotas and for what leaks out on the way.
Obvious: monthly laps of identical tonnage; subtle: a lap a quarter, quantities drifting."""

from __future__ import annotations

import numpy as np

from traza.sim.ledger import Orders
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "circular_trade"
CHEMS = ("acetone", "toluene", "sulfuric_acid", "hydrochloric_acid", "methyl_ethyl_ketone", "kerosene")
NODES = (4, 3, 3)
LAPS_PER_MONTH = (1.0, 0.5, 0.34)
LOT_KG = ((30000.0, 60000.0), (10000.0, 20000.0), (3000.0, 6000.0))
DRIFT = (0.0, 0.01, 0.03)


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl, world = ctx.rng, ctx.level, ctx.world
    chem = CHEMS[int(rng.integers(len(CHEMS)))]
    nodes: list[int] = []
    for _ in range(NODES[lvl]):
        e = ctx.distributor_ests(chem)[0]
        nodes.append(e)
        ctx.claim(ctx.op_of(e))
    first, last = ctx.window(3, 12)
    laps = ctx.month_days(first, last, LAPS_PER_MONTH[lvl], fixed=lvl == 0)
    if not len(laps):
        laps = np.asarray([ctx.day_of_month(first)])
    lo, hi = LOT_KG[lvl]
    lot = rng.uniform(lo, hi, len(laps))
    orders: list[Orders] = []
    day = laps.copy()
    for k, seller in enumerate(nodes):
        buyer = nodes[(k + 1) % len(nodes)]
        kg = lot * (1.0 + rng.uniform(-DRIFT[lvl], DRIFT[lvl], len(laps)))
        orders.append(ctx.sales(seller, buyer, chem, np.minimum(day, world.cal.end_day), kg,
                                lag=rng.integers(0, 2, len(laps))))
        day = day + rng.integers(1, 5, len(laps))
    return SchemeOutput(
        members=[Member(ctx.op_of(e), "node") for e in nodes],
        params={"chemical": chem, "nodes": len(nodes), "laps": len(laps),
                "lot_kg": round(float(lot.mean()), 1), "drift": DRIFT[lvl]},
        orders=orders,
    )
