"""Vanishing transfer: the seller declares the sale, the buyer never declares the purchase.
Obvious: every delivery of a few months vanishes, plus extra ones; subtle: one in four."""

from __future__ import annotations

import numpy as np

from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "vanishing_transfer"
CHEMS = ["kerosene", "sulfuric_acid", "hydrochloric_acid", "acetone", "toluene", "methyl_ethyl_ketone",
         "potassium_permanganate", "sodium_carbonate"]
VANISH_SHARE = (1.0, 0.5, 0.25)
EXTRA = (1.5, 0.5, 0.0)  # undeclared extra deliveries, in months of normal demand


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    flow = ctx.pick_flow(chems=CHEMS)
    f = ctx.flows
    est, supplier, chem = int(f.est[flow]), int(f.supplier[flow]), int(f.chem[flow])
    buyer = ctx.op_of(est)
    ctx.claim(buyer)
    first, last = ctx.window(4, 12)
    idx = ctx.flow_orders(flow, first, last)
    gone = idx[rng.random(len(idx)) < VANISH_SHARE[lvl]]
    ctx.orders["buyer_declares"][gone] = False
    ctx.mark(gone)
    extra = []
    n_extra = EXTRA[lvl] * (last - first + 1) * float(f.freq[flow])
    if n_extra > 0 or not len(gone):
        days = ctx.month_days(first, last, max(n_extra / (last - first + 1), 0.5))
        if not len(days):
            days = np.asarray([ctx.month_end(last)])
        kg = f.base_kg[flow] / max(float(f.freq[flow]), 1.0) * rng.uniform(0.8, 1.2, len(days))
        extra.append(ctx.sales(supplier, est, chem, days, kg, buyer_declares=False, use=False))
    return SchemeOutput(
        members=[Member(buyer, "receiver")],
        params={"chemical": ctx.world.chems.codes[chem], "vanished": len(gone),
                "extra_deliveries": int(sum(len(o) for o in extra))},
        orders=extra,
    )
