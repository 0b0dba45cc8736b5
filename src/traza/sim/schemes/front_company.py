"""Front company: newly registered, sharing a legal representative or a phone with an
established operator, buying heavily from the first month and delivering into a coca
valley. Obvious: a distributor inside the valley sharing representative, phone and e-mail,
reselling to unregistered people; subtle: a farm store at a gateway town sharing a phone."""

from __future__ import annotations

import numpy as np

from traza.sim.ledger import Orders
from traza.sim.profiles import DISTRIBUTOR
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "front_company"
CHEMS = ("kerosene", "sulfuric_acid", "hydrochloric_acid", "potassium_permanganate", "acetone",
         "methyl_ethyl_ketone")
MONTHLY_KG = ((8000.0, 20000.0), (3000.0, 6000.0), (1000.0, 2000.0))
SHARES = (("representative", "phone", "email"), ("representative",), ("phone",))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl, world = ctx.rng, ctx.level, ctx.world
    reg = world.reg
    first, last = ctx.window(4, 12)
    partners = [o for o in range(len(reg.ruc)) if ctx.free(o) and reg.listed[o]]
    associate = int(partners[int(rng.integers(len(partners)))])
    ctx.claim(associate)
    home = ctx.zone_district(None) if lvl == 0 else ctx.gateway_district()
    sector = "distributor" if lvl < 2 else "agriculture"
    registered = max(ctx.day_of_month(first) - int(rng.integers(20, 150)), world.cal.start_day - 10)
    front, est = ctx.new_operator(
        sector, home, registered, start=registered,
        rep=reg.rep[associate] if "representative" in SHARES[lvl] else None,
        phone=reg.phone[associate] if "phone" in SHARES[lvl] else None)
    if lvl == 0:
        reg.email[front] = reg.email[associate].split("@")[0] + "2@" + reg.email[associate].split("@")[1]
    chems = [str(c) for c in rng.choice(CHEMS, size=2, replace=False)]
    lo, hi = MONTHLY_KG[lvl]
    orders = []
    valley = ctx.zone_district(None)
    for chem in chems:
        scale = 0.05 if chem == "potassium_permanganate" else 1.0
        sellers = ctx.distributor_ests(chem, near=np.asarray([home]), n=int(rng.integers(2, 4)))
        for s in sellers:
            days = ctx.month_days(first, last, 2.0)
            kg = rng.uniform(lo, hi, len(days)) / len(sellers) / 2.0 * scale
            # A farm store at a gateway town has the goods delivered straight into the valley.
            dest = valley if reg.role[front] != DISTRIBUTOR and lvl == 2 else None
            orders.append(ctx.sales(s, est, chem, days, kg, dest=dest))
    # The unregistered people who take the goods in the valley are part of the scheme, as
    # the ghost buyers of ghost_buyer and substitute_diversion are.
    buyers: list[int] = []
    if reg.role[front] == DISTRIBUTOR:
        resold, buyers = _resell(ctx, est, orders)
        orders += resold
    return SchemeOutput(
        members=[Member(front, "front"), Member(associate, "associate")] + [Member(b, "buyer") for b in buyers],
        params={"chemicals": chems, "shares": list(SHARES[lvl]), "sector": sector, "in_zone": lvl == 0,
                "kg_bought": round(float(sum(o["kg"].sum() for o in orders if o["buyer_est"][0] == est)), 1)},
        orders=orders,
    )


def _resell(ctx: SchemeContext, est: int, bought: list[Orders]) -> tuple[list[Orders], list[int]]:
    """A front distributor sells nearly all it buys to unregistered people in the valley."""
    rng = ctx.rng
    buyers = [ctx.ghost(person=True) for _ in range(int(rng.integers(3, 7)))]
    out: list[Orders] = []
    taking: set[int] = set()
    for o in bought:
        if not len(o):
            continue
        chem = int(o["chem"][0])
        n = len(o) * 2
        days = np.minimum(np.repeat(o["day"] + o["lag"], 2) + rng.integers(1, 12, n), ctx.world.cal.end_day)
        kg = np.repeat(o["kg"], 2) / 2 * rng.uniform(0.9, 0.99, n)
        who = rng.integers(0, len(buyers), n)
        for b in np.unique(who):
            sel = who == b
            taking.add(buyers[int(b)])
            out.append(ctx.sales(est, -1, chem, days[sel], kg[sel], buyer=buyers[int(b)],
                                 dest=ctx.zone_district(None), buyer_declares=False, use=False))
    return out, sorted(taking)
