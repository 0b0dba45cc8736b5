"""Substitute diversion: lime, carbonates, cement and salt (the bulk goods coca-paste labs
use instead of controlled reagents) sold into the VRAEM far beyond what its farms and
towns use. Obvious: fifteen to thirty times a local store's volume, to unregistered
people; subtle: an established local store buying four to five times its usual volume."""

from __future__ import annotations

import numpy as np

from traza.sim.ledger import Orders
from traza.sim.profiles import END_USER
from traza.sim.schemes.base import Member, SchemeContext, SchemeOutput

TYPOLOGY = "substitute_diversion"
CHEMS = ("calcium_oxide", "sodium_carbonate", "cement", "salt")
# Monthly volume per buyer, in multiples of what a legitimate valley buyer takes.
TIMES_NORMAL = ((15.0, 30.0), (6.0, 10.0), (4.0, 5.0))


def plant(ctx: SchemeContext) -> SchemeOutput:
    rng, lvl, world = ctx.rng, ctx.level, ctx.world
    reg, places = world.reg, world.places
    chem = CHEMS[int(rng.integers(len(CHEMS)))]
    first, last = ctx.window(3, 12)
    # Unregistered buyers gather their volume from several hardware stores of the gateway
    # town, none of which sees much (the fan-in of red flag 8 of docs/principles.md); registered buyers keep
    # to the store they know.
    sellers = ctx.distributor_ests(chem, near=np.asarray([ctx.gateway_district()]), n=3 if lvl == 0 else 1)
    ctx.claim(*{ctx.op_of(e) for e in sellers})
    members = [Member(op, "seller") for op in dict.fromkeys(ctx.op_of(e) for e in sellers)]
    buyers: list[tuple[int, int]] = []  # (operator, establishment or -1)
    if lvl == 0:
        buyers += [(ctx.ghost(person=True), -1) for _ in range(int(rng.integers(3, 6)))]
    elif lvl == 1:
        for _ in range(int(rng.integers(1, 3))):
            op, est = ctx.new_operator("agriculture", ctx.zone_district(), ctx.day_of_month(first) - 60)
            buyers.append((op, est))
    else:
        vraem = places.zone_names.index("VRAEM")
        local = [e for e, o in enumerate(reg.est_op) if ctx.free(o) and reg.role[o] == END_USER
                 and int(places.zone_of[reg.est_ubigeo[e]]) == vraem]
        # a store that already buys the good, so that "four times its usual" means something
        local = [e for e in local if _own_monthly(ctx, e, ctx.chem(chem)) > 0] or local
        if local:
            e = int(local[int(rng.integers(len(local)))])
            buyers.append((reg.est_op[e], e))
            ctx.claim(reg.est_op[e])
        else:
            buyers.append(ctx.new_operator("other", ctx.zone_district(), ctx.day_of_month(first) - 60))
    lo, hi = TIMES_NORMAL[lvl]
    normal = _normal_monthly(ctx, ctx.chem(chem))
    orders: list[Orders] = []
    for op, est in buyers:
        members.append(Member(op, "buyer"))
        days = ctx.month_days(first, last, 3.0)
        if not len(days):
            days = np.asarray([ctx.day_of_month(first)])
        # an established store is measured against its own usual volume, which it multiplies
        # (what it already buys honestly is the 1 of the factor); newcomers against the valley's
        usual = _own_monthly(ctx, est, ctx.chem(chem)) if lvl == 2 else 0.0
        kg = (rng.uniform(lo, hi, len(days)) - 1.0) * usual / 3.0 if usual > 0 else \
            rng.uniform(lo, hi, len(days)) * normal / 3.0
        dest = ctx.zone_district() if est < 0 else None
        who = np.arange(len(days)) % len(sellers)
        for i, s in enumerate(sellers):
            if (who == i).any():
                orders.append(ctx.sales(s, est, chem, days[who == i], kg[who == i], buyer=op, dest=dest,
                                        buyer_declares=est >= 0))
    return SchemeOutput(
        members=members,
        params={"chemical": chem, "buyers": len(buyers), "unregistered_buyers": lvl == 0,
                "kg": round(float(sum(o["kg"].sum() for o in orders)), 1)},
        orders=orders,
    )


def _own_monthly(ctx: SchemeContext, est: int, chem: int) -> float:
    """What the establishment buys of the chemical in an average month (0 when it does not).
    Measured on its own honest orders, not on its flows' base volume: seasons and order sizes
    put a store's real months well above the base, and a volume "four times its usual" that
    its busy months already reach is not one anybody could see."""
    if est < 0:
        return 0.0
    o = ctx.orders
    mine = (o["buyer_est"] == est) & (o["chem"] == chem) & (o["scheme"] < 0)
    if not mine.any():
        return 0.0
    # a month in which it buys: a store that buys cement every other month is not measured
    # against the months it buys none
    months = np.searchsorted(ctx.world.cal.month_starts, o["day"][mine], side="right")
    return float(o["kg"][mine].sum()) / len(np.unique(months))


def _normal_monthly(ctx: SchemeContext, chem: int) -> float:
    """Median monthly volume of the chemical's legitimate buyers, in the zones when any."""
    f, places = ctx.flows, ctx.world.places
    mine = f.chem == chem
    zone = mine & (places.zone_of[ctx.world.arrays().est_ubigeo[f.est]] >= 0)
    base = f.base_kg[zone] if zone.any() else f.base_kg[mine]
    return float(np.median(base)) if len(base) else 2000.0
