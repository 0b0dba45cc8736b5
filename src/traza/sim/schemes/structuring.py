"""Structuring: many purchases just under a threshold, spread over several suppliers or
several sites of one supplier, so no single order looks large. Obvious: six suppliers, three
orders each a month; subtle: two suppliers, an order or two each."""

from __future__ import annotations

import numpy as np

from traza.sim.profiles import THRESHOLD_KG
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "structuring"
CHEMS = ["potassium_permanganate", "acetone", "hydrochloric_acid", "sulfuric_acid", "kerosene", "toluene",
         "methyl_ethyl_ketone"]
SUPPLIERS = (6, 4, 2)
PER_SUPPLIER_MONTH = (3.0, 2.0, 1.2)


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    chem = CHEMS[int(rng.integers(len(CHEMS)))]
    threshold = THRESHOLD_KG[chem]
    flow = ctx.pick_flow(sectors=("textile", "paint", "agriculture", "food", "laboratory"))
    est = int(ctx.flows.est[flow])
    op = ctx.op_of(est)
    ctx.claim(op)
    near = np.asarray([ctx.world.reg.est_ubigeo[est]])
    suppliers = ctx.distributor_ests(chem, near=near, n=SUPPLIERS[lvl])
    # Sometimes one distributor's several sites instead of several distributors.
    reg = ctx.world.reg
    multi = [o for o in {reg.est_op[e] for e in suppliers} if len(reg.ests_of(o)) >= 2]
    sites = bool(multi) and bool(rng.random() < 0.4)
    if sites:
        suppliers = reg.ests_of(multi[0])
    first, last = ctx.window(3, 12)
    orders = []
    for s in suppliers:
        days = ctx.month_days(first, last, PER_SUPPLIER_MONTH[lvl])
        kg = np.floor(threshold * rng.uniform(0.88, 0.995, len(days)))
        orders.append(ctx.sales(s, est, chem, days, kg, pack=False))
    if not sum(len(x) for x in orders):
        days = ctx.month_days(first, last, 1.0, fixed=True)
        orders.append(ctx.sales(suppliers[0], est, chem, days, np.floor(threshold * 0.95), pack=False))
    return SchemeOutput(
        members=[Member(op, "structurer")],
        params={"chemical": chem, "threshold_kg": threshold, "suppliers": len(suppliers),
                "one_supplier_sites": sites, "orders": int(sum(len(x) for x in orders))},
        orders=orders,
    )
