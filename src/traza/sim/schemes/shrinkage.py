"""Shrinkage: an operator buys more than it uses and writes the difference off as losses
and thefts, again and again. Obvious: monthly thefts of 10-20 % of throughput; subtle: a
2-4 % "spill" every two or three months, at least three of them: one spill is an accident,
and shrinkage as a scheme is the repetition (red flag 6 of docs/principles.md), so even the subtle level
writes off again and again rather than once or twice at random."""

from __future__ import annotations

import numpy as np

from traza.sim.ledger import T
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "shrinkage"
CHEMS = ["potassium_permanganate", "kerosene", "acetone", "sulfuric_acid", "hydrochloric_acid", "toluene",
         "diethyl_ether"]
SHARE = ((0.10, 0.20), (0.05, 0.08), (0.02, 0.04))
EVERY = (1.0, 1.0)  # events per month (obvious, moderate)
THEFT_SHARE = (0.6, 0.4, 0.1)


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    flow = ctx.pick_flow(chems=CHEMS)
    f = ctx.flows
    est, supplier, chem = int(f.est[flow]), int(f.supplier[flow]), int(f.chem[flow])
    op = ctx.op_of(est)
    ctx.claim(op)
    first, last = ctx.window(6, 18)
    if lvl < 2:
        days = ctx.month_days(first, last, EVERY[lvl], fixed=True)
    else:
        # a spill every two or three months, in month-long slots from the first month on
        step = int(rng.integers(2, 4))
        n = max(3, (last - first) // step + 1)
        months = np.minimum(first + step * np.arange(n), ctx.world.cal.months - 1)
        cal = ctx.world.cal
        days = np.sort(np.minimum(cal.month_starts[months] + (rng.random(n) * cal.month_lengths[months]).astype(np.int64),
                                  cal.end_day))
    lo, hi = SHARE[lvl]
    kg = np.round(f.base_kg[flow] * rng.uniform(lo, hi, len(days)), 1)
    theft = rng.random(len(days)) < THEFT_SHARE[lvl]
    rows = [ctx.own_rows(est, T["theft"], chem, days[theft], kg[theft]),
            ctx.own_rows(est, T["loss"], chem, days[~theft], kg[~theft])]
    # The missing goods were bought on top of normal needs, a few days before each write-off.
    buy_days = np.maximum(days - rng.integers(1, 10, len(days)), ctx.world.cal.start_day)
    extra = ctx.sales(supplier, est, chem, buy_days, kg, use=False)
    return SchemeOutput(
        members=[Member(op, "declarant")],
        params={"chemical": ctx.world.chems.codes[chem], "events": len(days), "thefts": int(theft.sum()),
                "kg_written_off": round(float(kg.sum()), 1), "share_range": [lo, hi]},
        orders=[extra], rows=rows,
    )
