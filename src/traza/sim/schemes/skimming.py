"""Skimming: the buyer declares less than the seller shipped, month after month. Obvious: a
third goes missing; subtle: 3-5 %, just beyond the 2 % reconciliation tolerance."""

from __future__ import annotations

from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "skimming"
CHEMS = ["kerosene", "sulfuric_acid", "hydrochloric_acid", "acetone", "toluene", "methyl_ethyl_ketone",
         "sodium_carbonate", "calcium_oxide"]
FRACTION = ((0.25, 0.4), (0.08, 0.15), (0.03, 0.05))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    flow = ctx.pick_flow(chems=CHEMS)
    f = ctx.flows
    est, supplier, chem = int(f.est[flow]), int(f.supplier[flow]), int(f.chem[flow])
    buyer = ctx.op_of(est)
    ctx.claim(buyer)
    first, last = ctx.window(4, 15)
    idx = ctx.flow_orders(flow, first, last)
    lo, hi = FRACTION[lvl]
    frac = rng.uniform(lo, hi, len(idx))
    ctx.orders["buyer_factor"][idx] = 1.0 - frac
    ctx.orders["doc_shared"][idx] = True  # the skimmer keeps the paperwork matching
    ctx.mark(idx)
    extra = []
    if not len(idx):
        days = ctx.month_days(first, last, 1.0, fixed=True)
        extra.append(ctx.sales(supplier, est, chem, days, f.base_kg[flow],
                               buyer_factor=1.0 - rng.uniform(lo, hi, len(days))))
    return SchemeOutput(
        members=[Member(buyer, "skimmer")],
        params={"chemical": ctx.world.chems.codes[chem], "fraction_range": [lo, hi],
                "orders": int(len(idx) + sum(len(o) for o in extra))},
        orders=extra,
    )
