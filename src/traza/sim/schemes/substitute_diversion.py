"""Substitute diversion: lime, carbonates, cement and salt (the bulk goods coca-paste labs
use instead of controlled reagents) sold into the VRAEM far beyond what its farms and
towns use. Obvious: a hundred tonnes a month to unregistered people; subtle: an
established local store buying three times its usual volume."""

from __future__ import annotations

import numpy as np

from traza.sim.ledger import Orders
from traza.sim.profiles import END_USER
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "substitute_diversion"
CHEMS = ("calcium_oxide", "sodium_carbonate", "cement", "salt")
MONTHLY_KG = ((40000.0, 100000.0), (10000.0, 25000.0), (3000.0, 8000.0))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl, world = ctx.rng, ctx.level, ctx.world
    reg, places = world.reg, world.places
    chem = CHEMS[int(rng.integers(len(CHEMS)))]
    first, last = ctx.window(3, 12)
    seller = ctx.distributor_ests(chem, near=np.asarray([ctx.gateway_district()]))[0]
    ctx.claim(ctx.op_of(seller))
    members = [Member(ctx.op_of(seller), "seller")]
    buyers: list[tuple[int, int]] = []  # (operator, establishment or -1)
    if lvl == 0:
        buyers += [(ctx.ghost(person=True), -1) for _ in range(int(rng.integers(3, 6)))]
    elif lvl == 1:
        for _ in range(int(rng.integers(1, 3))):
            op, est = ctx.new_operator("agriculture", ctx.zone_district(), ctx.day_of_month(first) - 60)
            buyers.append((op, est))
    else:
        vraem = places.zone_names.index("VRAEM")
        local = [e for e, o in enumerate(reg.est_op) if ctx.free(o) and reg.role[o] == END_USER
                 and int(places.zone_of[reg.est_ubigeo[e]]) == vraem]
        if local:
            e = int(local[int(rng.integers(len(local)))])
            buyers.append((reg.est_op[e], e))
            ctx.claim(reg.est_op[e])
        else:
            buyers.append(ctx.new_operator("other", ctx.zone_district(), ctx.day_of_month(first) - 60))
    lo, hi = MONTHLY_KG[lvl]
    orders: list[Orders] = []
    for op, est in buyers:
        members.append(Member(op, "buyer"))
        days = ctx.month_days(first, last, 3.0)
        if not len(days):
            days = np.asarray([ctx.day_of_month(first)])
        kg = rng.uniform(lo, hi, len(days)) / 3.0 / len(buyers)
        dest = ctx.zone_district() if est < 0 else None
        orders.append(ctx.sales(seller, est, chem, days, kg, buyer=op, dest=dest, buyer_declares=est >= 0))
    return SchemeOutput(
        members=members,
        params={"chemical": chem, "buyers": len(buyers), "unregistered_buyers": lvl == 0,
                "kg": round(float(sum(o["kg"].sum() for o in orders)), 1)},
        orders=orders,
    )
