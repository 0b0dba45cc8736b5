"""Inflated consumption: a small user declares it uses far more than its sector's peers of
its size, with an authorisation granted on that claim, so no quota is breached. Obvious:
fifteen to thirty times the norm; subtle: six to eight times.

The claim is what the authorisation was granted on, so it holds from the month it starts
until today (12-18 months), as a real inflated authorisation does. Honest firms of one size
already differ by a factor of 2-3 in any one chemical (the simulator's spread of flows is
log-normal, sigma 0.5), so a claim of two or three times the norm is not "inconsistent with
the sector" (red flag 3 of docs/principles.md): below about six times no peer comparison can tell it apart."""

from __future__ import annotations

from traza.sim.demand import pack_round
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "inflated_consumption"
CHEMS = ["acetone", "sulfuric_acid", "hydrochloric_acid", "potassium_permanganate", "methyl_ethyl_ketone",
         "toluene", "diethyl_ether", "kerosene"]
FACTOR = ((15.0, 30.0), (9.0, 13.0), (6.0, 8.0))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    flow = ctx.pick_flow(chems=CHEMS, sectors=("laboratory", "pharma", "textile", "food"))
    f, o = ctx.flows, ctx.orders
    est, chem = int(f.est[flow]), int(f.chem[flow])
    op = ctx.op_of(est)
    ctx.claim(op)
    last = ctx.world.cal.months - 1
    first = max(0, last + 1 - int(rng.integers(12, 19)))
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
