"""Quota creep: purchases climb month after month until the year's total passes the
authorised annual quota. Obvious: tripling, the quota passed by a third or more; subtle:
+35 % at the end of the climb and the quota passed by 3-8 %, close to honest growth."""

from __future__ import annotations

import numpy as np

from traza.sim.demand import pack_round
from traza.sim.params import from_day
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "quota_creep"
CHEMS = ["kerosene", "sulfuric_acid", "hydrochloric_acid", "acetone", "toluene", "sodium_carbonate",
         "calcium_oxide", "potassium_permanganate"]
PEAK = (3.0, 1.8, 1.35)
EXCEEDED_BY = ((1.3, 1.6), (1.12, 1.3), (1.03, 1.08))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl, cal = ctx.rng, ctx.level, ctx.world.cal
    flow = ctx.pick_flow(chems=CHEMS, min_freq=1.0)
    f, o = ctx.flows, ctx.orders
    est, chem = int(f.est[flow]), int(f.chem[flow])
    op = ctx.op_of(est)
    ctx.claim(op)
    # The climb happens within one calendar year (the one the period covers most), so that
    # the year's total is what passes the quota.
    years = np.asarray([from_day(int(d)).year for d in cal.month_starts[:-1]])
    year = int(np.bincount(years - years.min()).argmax() + years.min())
    in_year = np.flatnonzero(years == year)
    n = min(len(in_year), int(rng.integers(8, 13)))
    first = int(in_year[int(rng.integers(0, len(in_year) - n + 1))])
    last = first + n - 1
    idx = ctx.flow_orders(flow, first, last)
    month = cal.month_of(o["day"][idx])
    factor = 1.0 + (PEAK[lvl] - 1.0) * (month - first + 1) / n
    o["kg"][idx] = pack_round(o["kg"][idx] * factor)
    ctx.mark(idx)
    mine = (o["buyer"] == op) & (o["chem"] == chem) & o["buyer_declares"]
    arrived = o["day"][mine] + o["lag"][mine]
    total = float((o["kg"][mine] * o["buyer_factor"][mine])[
        (arrived >= cal.month_starts[in_year[0]]) & (arrived < cal.month_starts[in_year[-1] + 1])
        & (arrived <= cal.end_day)].sum())
    lo, hi = EXCEEDED_BY[lvl]
    quota = max(100.0, float(np.floor(total / rng.uniform(lo, hi) / 100.0) * 100.0))
    return SchemeOutput(
        members=[Member(op, "creeper")],
        params={"chemical": ctx.world.chems.codes[chem], "peak_factor": PEAK[lvl], "orders": len(idx),
                "year": year, "quota_kg": quota, "year_kg": round(total, 1)},
        quotas=[(op, chem, year, quota)],
    )
