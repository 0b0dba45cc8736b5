"""Honest-behaviour profiles (SimParams.honest) change how honest operators trade, and only
that: buyers take each chemical from more suppliers, while nothing is planted by them."""

from __future__ import annotations

import numpy as np
import pytest

from traza.sim.build import Simulation, simulate
from traza.sim.ledger import T
from traza.sim.params import SimParams


def _sources_per_buyer(sim: Simulation) -> float:
    """Mean distinct selling establishments per (buying operator, chemical) over purchases."""
    r = sim.rows
    buy = np.flatnonzero((r["type"] == T["purchase"]) & (r["scheme"] < 0) & (r["cp_est"] >= 0))
    a = sim.world.arrays()
    pairs = np.unique(np.stack([a.est_op[r["est"][buy]], r["chem"][buy], r["cp_est"][buy]]), axis=1)
    per = np.unique(pairs[:2], axis=1, return_counts=True)[1]
    return float(per.mean())


@pytest.mark.parametrize("profile", ["restocking", "multi_sourcing"])
def test_a_profile_makes_honest_buyers_use_more_suppliers(profile: str) -> None:
    base = simulate(SimParams(operators=150, months=6, seed=9, schemes=0))
    shaped = simulate(SimParams(operators=150, months=6, seed=9, schemes=0, honest=(profile,)))
    assert _sources_per_buyer(shaped) > 1.1 * _sources_per_buyer(base)
    assert not shaped.schemes


def test_an_unknown_profile_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown honest profile 'lazy'.*restocking, multi_sourcing"):
        SimParams(honest=("lazy",))
