"""The legitimate economy: sector volumes within the documented ranges, places, seasons,
and the honest outliers that tempt naive rules."""

from __future__ import annotations

import numpy as np
import pytest

from tests.sim.conftest import Written
from traza.sim.build import Simulation, simulate
from traza.sim.demand import delivery_lags, pack_round
from traza.sim.ledger import T
from traza.sim.params import SimParams
from traza.sim.profiles import END_USER, MINING_DEPTS, PROFILES


@pytest.fixture(scope="module")
def economy() -> Simulation:
    return simulate(SimParams(operators=1500, months=12, seed=3, schemes=0))


def _monthly_purchases(sim: Simulation) -> tuple[np.ndarray, np.ndarray]:
    """(sector of the establishment, kg) of each establishment-month with purchases."""
    a, r = sim.world.arrays(), sim.rows
    p = r["type"] == T["purchase"]
    key = r["est"][p].astype(np.int64) * 1000 + sim.world.cal.month_of(r["day"][p])
    uniq, inv = np.unique(key, return_inverse=True)
    total = np.bincount(inv, weights=sim.declared_kg[p])
    sector = np.asarray(sim.world.reg.sector)[a.est_op[uniq // 1000]]
    return sector, total


def test_sector_volumes_within_documented_ranges(economy: Simulation) -> None:
    sector, total = _monthly_purchases(economy)
    for name, prof in PROFILES.items():
        if prof.role != END_USER:
            continue
        lo, hi = prof.monthly_kg_range
        median = float(np.median(total[sector == name]))
        assert lo <= median <= hi, (name, median, prof.monthly_kg_range)


def test_sectors_are_ordered_as_documented(economy: Simulation) -> None:
    sector, total = _monthly_purchases(economy)
    med = {s: float(np.median(total[sector == s])) for s in ("mining", "textile", "laboratory")}
    assert med["mining"] > 3 * med["textile"] > 3 * med["laboratory"]


def test_mines_sit_in_the_mining_departments(economy: Simulation) -> None:
    reg, places = economy.world.reg, economy.world.places
    depts = {places.departments[int(places.dept_of[reg.est_ubigeo[e]])]
             for e, o in enumerate(reg.est_op) if reg.sector[o] == "mining" and reg.est_code[e] == 0}
    assert depts and depts <= set(MINING_DEPTS)


def test_legitimate_sales_reach_the_coca_valleys(economy: Simulation) -> None:
    r, places = economy.rows, economy.world.places
    sales = r["type"] == T["sale"]
    in_zone = places.zone_of[r["dest"][sales]] >= 0
    assert 0.001 < in_zone.mean() < 0.1  # normal volumes: farm stores, municipalities
    chems = {economy.world.chems.codes[c] for c in np.unique(r["chem"][sales][in_zone])}
    assert {"cement", "calcium_oxide"} <= chems
    assert not (r["scheme"] >= 0).any()


def test_seasonality_follows_the_sector(economy: Simulation) -> None:
    """Farm stores buy more in the planting months than in the dry months."""
    a, r, cal = economy.world.arrays(), economy.rows, economy.world.cal
    p = (r["type"] == T["purchase"]) & (np.asarray(economy.world.reg.sector)[a.est_op[r["est"]]] == "agriculture")
    moy = cal.month_of_year[cal.month_of(r["day"][p])]
    kg = economy.declared_kg[p]
    assert kg[np.isin(moy, [8, 9, 10])].sum() > 1.2 * kg[np.isin(moy, [3, 4, 5])].sum()


def test_newcomers_and_closures_exist(small: Written) -> None:
    noise = small.sim.noise
    assert noise["new_companies"] > 0 and noise["closed_companies"] > 0
    assert noise["late_purchase_declarations"] > 0 and noise["quantity_differences_within_tolerance"] > 0
    assert noise["legit_shared_representatives"] + noise["legit_shared_phones"] > 0


def test_pack_round_and_lags() -> None:
    assert list(pack_round(np.asarray([0.2, 37.0, 512.0, 1234.0, 51234.0]))) == [1.0, 37.0, 500.0, 1200.0, 51000.0]
    lags = delivery_lags(np.random.default_rng(0), 10000)
    assert (lags >= 0).all() and (lags == 0).mean() > 0.4 and (lags > 20).any() and lags.max() <= 45
