"""many_suppliers: a buyer served by more suppliers or sites in two quarters than nearly all its
peers (buyers of the same chemical playing the same role), never below a floor of three."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.detect.explain import peer_group
from traza.store import Database

PEERS = 30  # above the rule's min_peers: enough buyers of the chemical to compare with


def _buyer(world: World, fourth_day: str = "2025-05-20") -> str:
    buyer = world.operator(9, "mining")
    s1, s2, s3 = (world.operator(n) for n in (1, 2, 3))
    world.site(s3, "0001")  # a second site of the third supplier counts as a source
    world.sale(s1, buyer, 500, "2025-01-10")
    world.sale(s2, buyer, 500, "2025-02-10")
    world.sale(s3, buyer, 500, "2025-03-10")
    world.sale(s3, buyer, 500, fourth_day, est="0001")
    return buyer


def _peers(world: World, sources: int, *, resell: bool = False, first: int = 100) -> None:
    """``PEERS`` other buyers of sulfuric acid, each served by ``sources`` suppliers in one
    quarter; ``resell``: each sells on what it buys to two customers (a distributor)."""
    sellers = [world.operator(n) for n in range(first - 50, first - 50 + sources)]
    for i in range(PEERS):
        peer = world.operator(first + i, "textile")
        for j, seller in enumerate(sellers):
            world.sale(seller, peer, 300, f"2025-04-{10 + j:02d}")
        if resell:
            for k in (0, 1):
                world.sale(peer, world.operator(first + 1000 + 2 * i + k, "textile"), 100 * sources, "2025-06-10")


def test_more_sources_than_its_peers_fire_and_say_whom_it_was_compared_with(db: Database, world: World) -> None:
    buyer = _buyer(world)
    _peers(world, 1)
    world.load(db)
    [f] = run(db, "many_suppliers", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "4")
    assert f.observed == pytest.approx(2_000) and len(f.evidence) == 4
    assert f.peers is not None and f.peers.group == "end_user|sulfuric_acid"
    assert f.peers.size == PEERS and f.peers.percentile == 100.0  # its peers: the others
    assert f.baseline == 1  # the peers' median


def test_the_cut_off_moves_with_the_peers(db: Database, world: World) -> None:
    """The same buyer, among peers who all buy from four or five: nothing unusual."""
    _buyer(world)
    _peers(world, 5)
    world.load(db)
    assert run(db, "many_suppliers", "2025-12-31") == []


def test_a_distributor_is_compared_with_distributors(db: Database, world: World) -> None:
    """Among all buyers it would sit in the middle (end users here buy from five); among
    distributors, who restock from one, four sources stand out."""
    buyer = _buyer(world)
    for k in (0, 1):
        world.sale(buyer, world.operator(900 + k, "textile"), 900, "2025-06-15")
    _peers(world, 5, first=100)
    _peers(world, 1, resell=True, first=200)
    world.load(db)
    [f] = run(db, "many_suppliers", "2025-12-31")
    assert f.ruc == buyer and f.peers is not None
    assert (f.peers.group, f.peers.size) == ("distributor|sulfuric_acid", PEERS)
    assert peer_group(f.peers.group, "en") == "distributors of sulfuric acid"
    assert peer_group(f.peers.group, "es") == "distribuidores de ácido sulfúrico"


def test_too_few_peers_do_not_fire(db: Database, world: World) -> None:
    _buyer(world)
    world.load(db)
    assert run(db, "many_suppliers", "2025-12-31") == []


def test_a_fourth_source_two_quarters_later_does_not_make_four(db: Database, world: World) -> None:
    _buyer(world, "2025-07-20")
    _peers(world, 1)
    world.load(db)
    [f] = run(db, "many_suppliers", "2025-12-31")  # three in its busiest window: still above all peers
    assert f.detail == "3"
    assert run(db, "many_suppliers", "2025-12-31", min_suppliers=4) == [], "with the floor raised it does not fire"


def test_the_alert_says_whom_it_was_compared_with(db: Database, world: World) -> None:
    from datetime import date

    from traza.detect.runner import detect

    _buyer(world)
    _peers(world, 1)
    world.load(db)
    detect(db, db.dialect, date(2025, 12, 31), only=["many_suppliers"])
    [(en, es, evidence)] = db.query("SELECT explanation_en, explanation_es, evidence FROM alerts")
    assert f"more than 100.0% of its {PEERS} peers (end users of sulfuric acid), whose median is 1" in en
    assert f"más que el 100,0% de sus {PEERS} pares (usuarios finales de ácido sulfúrico)" in es
    assert '"peers": {"group": "end_user|sulfuric_acid"' in evidence


def test_top_of_a_wide_spread_is_not_far_out(db: Database, world: World) -> None:
    """Its peers buy from one or from three: four is more than all of them, but within what
    such a spread holds (their third quartile plus three interquartile ranges). With the
    fence at zero the same buyer fires."""
    buyer = _buyer(world)
    _peers(world, 1, first=100)
    _peers(world, 3, first=200)
    world.load(db)
    assert run(db, "many_suppliers", "2025-12-31") == []
    [f] = run(db, "many_suppliers", "2025-12-31", fence=0)
    assert f.ruc == buyer
