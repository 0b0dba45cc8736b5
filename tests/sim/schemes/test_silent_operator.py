from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T


def test_stops_declaring_while_suppliers_keep_selling(small: Written) -> None:
    sim = small.sim
    r, a = sim.rows, sim.world.arrays()
    for p in planted(small, "silent_operator"):
        op = p.member("silent")
        since = int(r["day"][p.idx].min())
        own = a.est_op[r["est"]] == op
        assert own.any() and r["day"][own].max() < since + 1
        assert (r["type"][p.idx] == T["sale"]).all() and (r["cp"][p.idx] == op).all()
        assert len(np.unique(sim.world.cal.month_of(r["day"][p.idx]))) >= 1
