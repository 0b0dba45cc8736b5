"""Relay chain: A sells to B, B passes the goods on to C within days, and C sits in (or
delivers into) a coca valley. Each link looks like ordinary trade; the chain does not.
Obvious: tens of tonnes a month to a new relay; subtle: a tonne or two through an
established distributor, the terminal at a gateway town."""

from __future__ import annotations

import numpy as np

from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "relay_chain"
CHEMS = ("kerosene", "sulfuric_acid", "hydrochloric_acid", "acetone", "toluene", "potassium_permanganate")
MONTHLY_KG = ((15000.0, 30000.0), (4000.0, 8000.0), (1000.0, 2500.0))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl, world = ctx.rng, ctx.level, ctx.world
    chem = CHEMS[int(rng.integers(len(CHEMS)))]
    scale = 0.05 if chem == "potassium_permanganate" else 1.0
    first, last = ctx.window(4, 14)
    gateway = ctx.gateway_district()
    a_est = ctx.distributor_ests(chem)[0]
    ctx.claim(ctx.op_of(a_est))
    start = ctx.day_of_month(first)
    if lvl == 0:
        b_op, b_est = ctx.new_operator("distributor", gateway, start - int(rng.integers(30, 200)))
    else:
        b_est = ctx.distributor_ests(chem, near=np.asarray([gateway]))[0]
        b_op = ctx.op_of(b_est)
        ctx.claim(b_op)
    home = ctx.zone_district(None) if lvl < 2 else ctx.gateway_district()
    c_op, c_est = ctx.new_operator("agriculture" if lvl else "other", home,
                                   start - int(rng.integers(10, 400)))
    lo, hi = MONTHLY_KG[lvl]
    days = ctx.month_days(first, last, 2.0)
    if not len(days):
        days = np.asarray([start])
    kg = rng.uniform(lo, hi, len(days)) / 2.0 * scale
    ab = ctx.sales(a_est, b_est, chem, days, kg, lag=np.zeros(len(days), dtype=np.int32))
    hop = np.minimum(days + rng.integers(1, 6, len(days)), world.cal.end_day)
    dest = ctx.zone_district(None) if lvl == 2 else None
    bc = ctx.sales(b_est, c_est, chem, hop, ab["kg"] * rng.uniform(0.93, 1.0, len(days)), dest=dest)
    return SchemeOutput(
        members=[Member(ctx.op_of(a_est), "origin"), Member(b_op, "relay"), Member(c_op, "terminal")],
        params={"chemical": chem, "hops": len(days), "kg": round(float(ab["kg"].sum()), 1),
                "terminal_in_zone": lvl < 2, "new_relay": lvl == 0},
        orders=[ab, bc],
    )
