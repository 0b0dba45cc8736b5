from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T


def test_use_far_beyond_sector_peers_yet_within_quota(small: Written) -> None:
    sim = small.sim
    r, kg, a = sim.rows, sim.declared_kg, sim.world.arrays()
    sector = np.asarray(sim.world.reg.sector)[a.est_op[r["est"]]]
    for p in planted(small, "inflated_consumption"):
        op = p.member("consumer")
        chem = int(r["chem"][p.idx][0])
        buys = p.rows_of(("purchase",))
        months = sim.world.cal.month_of(r["day"][buys])
        mine = kg[buys].sum() / len(np.unique(months))
        peers = (r["type"] == T["purchase"]) & (r["chem"] == chem) & (sector == sim.world.reg.sector[op]) & (
            r["scheme"] < 0)
        per_est_month = np.bincount(r["est"][peers] * 100 + sim.world.cal.month_of(r["day"][peers]),
                                    weights=kg[peers])
        assert mine > 1.8 * np.median(per_est_month[per_est_month > 0])
        used = (a.est_op[r["est"]] == op) & (r["chem"] == chem) & (r["type"] == T["consumption"])
        assert used.any()
        quota = max(x.quota_kg for x in sim.authorisations if x.op == op and x.chem == chem)
        assert kg[(a.est_op[r["est"]] == op) & (r["chem"] == chem) & (r["type"] == T["purchase"])].sum() < 2 * quota
