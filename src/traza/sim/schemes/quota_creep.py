"""Quota creep: purchases climb month after month until they pass the authorised annual
quota. Obvious: tripling; subtle: +35 % at the end, barely past a quota set 5-20 % above
the operator's normal year."""

from __future__ import annotations

import numpy as np

from traza.sim.demand import pack_round
from traza.sim.params import from_day
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "quota_creep"
CHEMS = ["kerosene", "sulfuric_acid", "hydrochloric_acid", "acetone", "toluene", "sodium_carbonate",
         "calcium_oxide", "potassium_permanganate"]
PEAK = (3.0, 1.8, 1.35)


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    flow = ctx.pick_flow(chems=CHEMS)
    f, o = ctx.flows, ctx.orders
    est, chem = int(f.est[flow]), int(f.chem[flow])
    op = ctx.op_of(est)
    ctx.claim(op)
    first, last = ctx.window(8, 20)
    # The quota was set on the operator's honest volume, before the creep.
    mine = (o["buyer"] == op) & (o["chem"] == chem)
    years = np.asarray([from_day(int(d)).year for d in o["day"][mine]])
    kg = o["kg"][mine]
    quotas = []
    span = {from_day(ctx.day_of_month(m)).year for m in range(first, last + 1)}
    for y in sorted(span):
        normal = float(kg[years == y].sum()) * 12.0 / max(len({int(from_day(int(d)).month) for d in
                                                                  o["day"][mine][years == y]}), 1)
        quotas.append((op, chem, y, max(1000.0, float(np.ceil(normal * rng.uniform(1.05, 1.2) / 1000) * 1000))))
    idx = ctx.flow_orders(flow, first, last)
    month = ctx.world.cal.month_of(o["day"][idx])
    factor = 1.0 + (PEAK[lvl] - 1.0) * (month - first + 1) / (last - first + 1)
    o["kg"][idx] = pack_round(o["kg"][idx] * factor)
    ctx.mark(idx)
    return SchemeOutput(
        members=[Member(op, "creeper")],
        params={"chemical": ctx.world.chems.codes[chem], "peak_factor": PEAK[lvl], "orders": len(idx),
                "quota_kg": {str(q[2]): q[3] for q in quotas}},
        quotas=quotas,
    )
