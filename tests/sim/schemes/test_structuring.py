from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.profiles import THRESHOLD_KG


def test_many_purchases_just_under_the_threshold_from_several_sites(small: Written) -> None:
    r, kg = small.sim.rows, small.sim.declared_kg
    codes = small.sim.world.chems.codes
    for p in planted(small, "structuring"):
        buys = p.rows_of(("purchase",))
        assert len(buys) >= 3 and (p.declarant(buys) == p.member("structurer")).all()
        threshold = THRESHOLD_KG[codes[int(r["chem"][buys][0])]]
        assert (kg[buys] < threshold).all() and (kg[buys] >= 0.85 * threshold).all()
        assert len(np.unique(r["cp_est"][p.rows_of(("sale",))])) >= 2
