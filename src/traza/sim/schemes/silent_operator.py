"""Silent operator: it stops declaring anything (purchases, use, stock counts) while its
suppliers keep declaring sales to it. Obvious: the suppliers' sales even grow; subtle: they
carry on as before."""

from __future__ import annotations

import numpy as np

from traza.sim.demand import pack_round
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "silent_operator"
GROWTH = (2.5, 1.4, 1.0)


def plant(ctx: SchemeContext) -> SchemeOutput:
    lvl, world = ctx.level, ctx.world
    flow = ctx.pick_flow(sectors=("mining", "fuel", "water_treatment", "textile", "paint", "food"))
    op = ctx.op_of(int(ctx.flows.est[flow]))
    ctx.claim(op)
    months = world.cal.months
    first = int(ctx.rng.integers(max(0, months // 3), max(1, months - 2))) if months > 2 else 0
    silent_day = ctx.day_of_month(first)
    for e in world.reg.ests_of(op):
        world.silent_from[e] = silent_day
    o = ctx.orders
    idx = np.flatnonzero((o["buyer"] == op) & (o["day"] >= silent_day))
    o["buyer_declares"][idx] = False
    o["kg"][idx] = pack_round(o["kg"][idx] * GROWTH[lvl])
    ctx.mark(idx)
    extra = []
    if not len(idx):
        days = ctx.month_days(first, months - 1, 1.0, fixed=True)
        extra.append(ctx.sales(int(ctx.flows.supplier[flow]), int(ctx.flows.est[flow]), int(ctx.flows.chem[flow]),
                               days, ctx.flows.base_kg[flow], buyer_declares=False))
    return SchemeOutput(
        members=[Member(op, "silent")],
        params={"silent_from_month": first, "supplier_growth": GROWTH[lvl],
                "undeclared_deliveries": int(len(idx) + sum(len(x) for x in extra))},
        orders=extra,
    )
