"""Determinism and the calendar: same seed, same bytes; nothing outside the period."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np

from tests.sim.conftest import Written
from traza.sim.build import simulate
from traza.sim.ledger import T
from traza.sim.params import SimParams, to_day
from traza.sim.write import FILES, write_simulation

TINY = SimParams(operators=120, months=6, seed=5, schemes=12, dirty_rate=0.01)


def _digests(folder: Path) -> dict[str, str]:
    return {f: hashlib.sha256((folder / f).read_bytes()).hexdigest() for f in FILES}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_simulation(simulate(TINY), tmp_path / "a")
    write_simulation(simulate(TINY), tmp_path / "b")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_different_seed_different_bytes(tmp_path: Path) -> None:
    write_simulation(simulate(TINY), tmp_path / "a")
    other = SimParams(operators=120, months=6, seed=6, schemes=12, dirty_rate=0.01)
    write_simulation(simulate(other), tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert all(a[f] != b[f] for f in FILES)


def test_every_date_lies_in_the_period_and_end_is_honoured() -> None:
    params = SimParams(operators=120, months=5, seed=2, schemes=12, end=date(2024, 3, 15))
    sim = simulate(params)
    days = sim.rows["day"]
    before = days < to_day(date(2023, 11, 1))
    # Only opening stock counts sit before the period: they close the day before it starts.
    assert before.any() and (sim.rows["type"][before] == T["stock_count"]).all()
    assert days.min() == to_day(date(2023, 10, 31))
    assert days.max() <= to_day(date(2024, 3, 15))
    # Every month of the period has trade.
    months = set(sim.world.cal.month_of(days[~before]).tolist())
    assert months == set(range(5))


def test_declared_quantities_are_positive_except_counts(small: Written) -> None:
    r = small.sim.rows
    counts = r["type"] == T["stock_count"]
    assert (small.sim.quantity[~counts] > 0).all()
    assert (small.sim.quantity[counts] >= 0).all()
    assert np.isfinite(small.sim.quantity).all()


def test_every_movement_type_occurs(small: Written) -> None:
    from traza.core.types import MOVEMENT_TYPES

    seen = {MOVEMENT_TYPES[t] for t in np.unique(small.sim.rows["type"])}
    assert seen == set(MOVEMENT_TYPES)
