"""Ghost buyer: a distributor keeps selling to a RUC that is not in the registry, or whose
registration was revoked. The buyer never declares; the goods travel toward a coca valley."""

from __future__ import annotations

import numpy as np

from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "ghost_buyer"
CHEMS = ("kerosene", "sulfuric_acid", "hydrochloric_acid", "potassium_permanganate", "acetone",
         "sodium_carbonate")
KG_PER_SALE = ((3000.0, 8000.0), (800.0, 2000.0), (200.0, 600.0))
SALES_PER_MONTH = (4.0, 2.0, 1.0)


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl = ctx.rng, ctx.level
    chem = CHEMS[int(rng.integers(len(CHEMS)))]
    dest = ctx.zone_district(None) if lvl < 2 else ctx.gateway_district()
    seller = ctx.distributor_ests(chem, near=np.asarray([dest]))[0]
    first, last = ctx.window(3, 12)
    scale = 0.05 if chem == "potassium_permanganate" else 1.0
    revoked = bool(rng.random() < 0.5)
    start = ctx.day_of_month(first)
    if revoked:
        # Registered years ago, revoked just before the scheme: its old history looks normal.
        registered = start - int(rng.integers(700, 3000))
        buyer, buyer_est = ctx.new_operator("agriculture", ctx.gateway_district(), registered,
                                            stop=start - 1 - int(rng.integers(0, 30)), status="revoked")
        history = ctx.month_days(0, first - 1, 1.0) if first > 0 else np.empty(0, dtype=np.int64)
        history = history[history <= ctx.world.reg.stop[buyer]]
        old = ctx.sales(seller, buyer_est, chem, history, rng.uniform(200, 600, len(history)) * scale,
                        scheme=-1)
    else:
        buyer, buyer_est = ctx.ghost(person=bool(rng.random() < 0.6)), -1
        old = None
    lo, hi = KG_PER_SALE[lvl]
    days = ctx.month_days(first, last, SALES_PER_MONTH[lvl])
    if not len(days):
        days = np.asarray([ctx.day_of_month(first)])
    orders = ctx.sales(seller, buyer_est, chem, days, rng.uniform(lo, hi, len(days)) * scale,
                       buyer=buyer, dest=dest, buyer_declares=False, use=False)
    ctx.claim(ctx.op_of(seller))
    return SchemeOutput(
        members=[Member(ctx.op_of(seller), "seller"),
                 Member(buyer, "revoked_buyer" if revoked else "ghost_buyer")],
        params={"chemical": chem, "revoked": revoked, "sales": len(days),
                "kg": round(float(orders["kg"].sum()), 1)},
        orders=[orders] + ([old] if old is not None else []),
    )
