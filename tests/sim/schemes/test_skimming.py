from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T


def test_buyer_declares_less_than_shipped_beyond_tolerance(small: Written) -> None:
    r, kg = small.sim.rows, small.sim.declared_kg
    for p in planted(small, "skimming"):
        sales = p.rows_of(("sale",))
        buys = p.rows_of(("purchase",))
        assert len(buys) and (p.declarant(buys) == p.member("skimmer")).all()
        sold = dict(zip(r["doc_num"][sales].tolist(), kg[sales], strict=True))
        ratios = np.asarray([kg[i] / sold[int(r["doc_num"][i])] for i in buys if int(r["doc_num"][i]) in sold])
        assert len(ratios) and (ratios < 0.98).all() and (ratios > 0.55).all()
        assert (r["type"][p.idx] != T["consumption"]).all()
