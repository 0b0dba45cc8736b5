"""negative_book_stock: the book (last count plus flows) below zero at consecutive month ends."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _book(world: World, february_purchase: float) -> str:
    user, seller = world.operator(1, "mining"), world.operator(2)
    world.move(user, "stock_count", 0, "2024-12-31")
    world.sale(seller, user, 1_000, "2025-01-05")
    world.move(user, "consumption", 2_000, "2025-01-25")  # book -1,000 at the end of January
    if february_purchase:
        world.sale(seller, user, february_purchase, "2025-02-05")
    world.move(user, "consumption", 500, "2025-02-20")
    return user


def test_two_month_ends_below_zero_fire(db: Database, world: World) -> None:
    user = _book(world, 0)
    world.load(db)
    [f] = run(db, "negative_book_stock", "2025-03-31")
    assert (f.ruc, f.chemical, f.detail) == (user, "sulfuric_acid", "0000")
    assert f.observed == pytest.approx(1_500)  # the deepest month end
    assert f.strength == 2
    assert (str(f.period_start), str(f.period_end)) == ("2025-01-01", "2025-02-28")


def test_a_purchase_that_restores_the_book_leaves_one_month(db: Database, world: World) -> None:
    _book(world, 1_500)
    world.load(db)
    assert run(db, "negative_book_stock", "2025-03-31") == []
    assert run(db, "negative_book_stock", "2025-03-31", min_months=1), "with the bar lowered the same case fires"
