from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T


def test_the_buyer_never_declares_the_marked_sales(small: Written) -> None:
    r = small.sim.rows
    for p in planted(small, "vanishing_transfer"):
        receiver = p.member("receiver")
        assert (r["type"][p.idx] == T["sale"]).all() and (r["cp"][p.idx] == receiver).all()
        own_purchases = (p.declarant(np.arange(len(r))) == receiver) & (r["type"] == T["purchase"])
        assert not np.isin(r["doc_num"][p.idx], r["doc_num"][own_purchases]).any()
        # The receiver keeps declaring its other purchases: it is not a silent operator.
        assert own_purchases.any()
