from __future__ import annotations

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted


def test_the_same_lot_goes_round(small: Written) -> None:
    r = small.sim.rows
    for p in planted(small, "circular_trade"):
        nodes = p.members("node")
        assert len(nodes) >= 3
        sales = p.rows_of(("sale",))
        edges = {(int(s), int(b)) for s, b in zip(p.declarant(sales), r["cp"][sales], strict=True)}
        assert edges == {(nodes[k], nodes[(k + 1) % len(nodes)]) for k in range(len(nodes))}
        assert len({int(c) for c in r["chem"][p.idx]}) == 1
        per_node = [small.sim.declared_kg[sales][p.declarant(sales) == n].sum() for n in nodes]
        assert max(per_node) / min(per_node) < 1.1
