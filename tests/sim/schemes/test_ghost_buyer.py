from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T


def test_sales_go_to_an_unregistered_or_revoked_buyer(small: Written) -> None:
    reg = small.sim.world.reg
    r = small.sim.rows
    for p in planted(small, "ghost_buyer"):
        buyer = p.members("ghost_buyer") + p.members("revoked_buyer")
        assert len(buyer) == 1
        b = buyer[0]
        assert not reg.listed[b] or reg.status[b] == "revoked"
        assert (r["type"][p.idx] == T["sale"]).all()
        assert (r["cp"][p.idx] == b).all()
        assert (p.declarant(p.idx) == p.member("seller")).all()
        if reg.listed[b]:  # revoked: nothing declared by it after its revocation
            own = np.flatnonzero(np.isin(r["est"], reg.ests_of(b)))
            assert (r["day"][own] <= reg.stop[b]).all()
            assert r["day"][p.idx].min() > reg.stop[b]
