from __future__ import annotations

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.params import to_day


def test_new_company_shares_identity_buys_big_and_delivers_into_a_valley(small: Written) -> None:
    sim = small.sim
    reg, places, r = sim.world.reg, sim.world.places, sim.rows
    start = sim.world.cal.start_day
    for p in planted(small, "front_company"):
        front, partner = p.member("front"), p.member("associate")
        assert reg.listed[front] and reg.registered_on[front] >= start - 10
        assert reg.rep[front] == reg.rep[partner] or reg.phone[front] == reg.phone[partner]
        assert sim.world.reg.sector[front] in ("distributor", "agriculture")
        buys = p.rows_of(("purchase",))
        assert len(buys) and sim.declared_kg[buys].sum() > 2000
        # Heavy from the first month: it never ramps up like an honest newcomer.
        assert r["day"][buys].min() - reg.registered_on[front] < 200
        sales = p.rows_of(("sale",))
        own_sales = sales[p.declarant(sales) == front]
        home_in_zone = places.zone_of[reg.est_ubigeo[reg.ests_of(front)[0]]] >= 0
        to_zone = (places.zone_of[r["dest"][own_sales]] >= 0).all() if len(own_sales) else False
        deliveries = sales[p.declarant(sales) != front]
        delivered_in_zone = (places.zone_of[r["dest"][deliveries]] >= 0).any()
        assert home_in_zone or to_zone or delivered_in_zone
        assert to_day(sim.params.end) >= r["day"][p.idx].max()
