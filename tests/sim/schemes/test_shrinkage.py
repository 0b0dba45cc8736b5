from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T


def test_repeated_write_offs_backed_by_extra_purchases(small: Written) -> None:
    r, kg = small.sim.rows, small.sim.declared_kg
    for p in planted(small, "shrinkage"):
        op = p.member("declarant")
        off = p.rows_of(("loss", "theft"))
        assert len(off) >= 2 and (p.declarant(off) == op).all()
        bought = p.rows_of(("purchase",))
        assert abs(kg[bought].sum() - kg[off].sum()) < 0.05 * kg[off].sum() + 50
        # Far more than the occasional honest spill of its peers.
        others = (r["type"] == T["loss"]) & (r["scheme"] < 0)
        assert len(off) > np.bincount(r["est"][others]).max(initial=0) or len(off) >= 3
