from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted


def test_goods_pass_a_to_b_to_c_toward_a_risk_zone(small: Written) -> None:
    sim = small.sim
    r, places, reg = sim.rows, sim.world.places, sim.world.reg
    for p in planted(small, "relay_chain"):
        a, b, c = p.member("origin"), p.member("relay"), p.member("terminal")
        sales = p.rows_of(("sale",))
        seller = p.declarant(sales)
        ab, bc = sales[(seller == a) & (r["cp"][sales] == b)], sales[(seller == b) & (r["cp"][sales] == c)]
        assert len(ab) and len(ab) == len(bc)
        assert np.sort(r["day"][bc]).min() >= np.sort(r["day"][ab]).min()
        assert abs(sim.declared_kg[bc].sum() / sim.declared_kg[ab].sum() - 0.965) < 0.05
        c_home = places.zone_of[reg.est_ubigeo[reg.ests_of(c)[0]]] >= 0
        assert c_home or (places.zone_of[r["dest"][bc]] >= 0).all()
