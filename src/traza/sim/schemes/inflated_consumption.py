"""Inflated consumption: a small user declares it uses far more than its sector's peers of
its size, with an authorisation granted on that claim, so no quota is breached. Obvious:
ten to twenty times the norm; subtle: two to three times."""

from __future__ import annotations

from traza.sim.demand import pack_round
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "inflated_consumption"
CHEMS = ["acetone", "sulfuric_acid", "hydrochloric_acid", "potassium_permanganate", "methyl_ethyl_ketone",
         "toluene", "diethyl_ether", "kerosene"]
FACTOR = ((10.0, 20.0), (4.0, 6.0), (2.2, 3.0))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    flow = ctx.pick_flow(chems=CHEMS, sectors=("laboratory", "pharma", "textile", "food"))
    f, o = ctx.flows, ctx.orders
    est, chem = int(f.est[flow]), int(f.chem[flow])
    op = ctx.op_of(est)
    ctx.claim(op)
    first, last = ctx.window(6, 18)
    idx = ctx.flow_orders(flow, first, last)
    lo, hi = FACTOR[lvl]
    factor = float(rng.uniform(lo, hi))
    o["kg"][idx] = pack_round(o["kg"][idx] * factor)
    ctx.mark(idx)
    extra = []
    if not len(idx):
        days = ctx.month_days(first, last, 1.0, fixed=True)
        extra.append(ctx.sales(int(f.supplier[flow]), est, chem, days, f.base_kg[flow] * factor))
    return SchemeOutput(
        members=[Member(op, "consumer")],
        params={"chemical": ctx.world.chems.codes[chem], "sector": ctx.world.reg.sector[op],
                "factor": round(factor, 2), "orders": int(len(idx) + sum(len(x) for x in extra))},
        orders=extra,
    )
