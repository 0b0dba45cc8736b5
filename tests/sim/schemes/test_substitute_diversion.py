from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T
from traza.sim.schemes.substitute_diversion import CHEMS


def test_substitutes_pour_into_the_vraem(small: Written) -> None:
    sim = small.sim
    r, places, kg = sim.rows, sim.world.places, sim.declared_kg
    vraem = places.zone_names.index("VRAEM")
    for p in planted(small, "substitute_diversion"):
        sales = p.rows_of(("sale",))
        assert {sim.world.chems.codes[int(c)] for c in r["chem"][sales]} <= set(CHEMS)
        assert (places.zone_of[r["dest"][sales]] == vraem).all()
        months = len(np.unique(sim.world.cal.month_of(r["day"][sales])))
        chem = int(r["chem"][sales][0])
        legit = (r["type"] == T["sale"]) & (r["scheme"] < 0) & (places.zone_of[np.maximum(r["dest"], 0)] >= 0) & (
            r["dest"] >= 0) & (r["chem"] == chem)
        per_buyer_month = np.bincount(r["cp"][legit] * 100 + sim.world.cal.month_of(r["day"][legit]), weights=kg[legit])
        normal = np.median(per_buyer_month[per_buyer_month > 0]) if legit.any() else 1000.0
        assert kg[sales].sum() / months / len(p.members("buyer")) > 1.5 * normal
