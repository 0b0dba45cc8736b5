"""Honest-behaviour profiles (SimParams.honest) change how honest operators trade, and only
that: each shows in the generated data, while nothing is planted by them."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from traza.sim.build import Simulation, simulate
from traza.sim.ledger import T
from traza.sim.params import SimParams, from_day
from traza.sim.profiles import DISTRIBUTOR, END_USER


@cache
def _sim(months: int, *honest: str) -> Simulation:
    sim = simulate(SimParams(operators=150, months=months, seed=2, schemes=0, honest=honest))
    assert not sim.schemes and (sim.rows["scheme"] < 0).all()  # honest only
    return sim


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


def _per_op(sim: Simulation, types: list[str], year: int) -> np.ndarray:
    r, a = sim.rows, sim.world.arrays()
    m = np.isin(r["type"], [T[t] for t in types]) & (sim.world.cal.month_of(r["day"]) // 12 == year)
    return np.bincount(a.est_op[r["est"][m]], weights=sim.declared_kg[m], minlength=len(a.role))


def test_growth_makes_a_fifth_grow_fast_with_consistent_books() -> None:
    ratios = []
    for sim in (_sim(24), _sim(24, "growth")):
        bought = [_per_op(sim, ["purchase"], y) for y in (0, 1)]
        used = [_per_op(sim, ["sale", "consumption"], y) for y in (0, 1)]
        role = sim.world.arrays().role
        ok = (bought[0] > 0) & (used[0] > 0) & np.isin(role, [END_USER, DISTRIBUTOR])
        ratios.append((bought[1][ok] / bought[0][ok], used[1][ok] / used[0][ok]))
    (base_in, _), (grown_in, grown_out) = ratios
    assert (grown_in > 1.3).sum() >= (base_in > 1.3).sum() + 8
    # What the fast growers buy, they sell or use: their outflows rise with their purchases.
    assert np.median(grown_out[grown_in > 1.3]) > 1.3


def _season(sim: Simulation, sector: str, high: list[int], low: list[int]) -> float:
    a, r, cal = sim.world.arrays(), sim.rows, sim.world.cal
    p = (r["type"] == T["purchase"]) & (np.asarray(sim.world.reg.sector)[a.est_op[r["est"]]] == sector)
    moy = cal.month_of_year[cal.month_of(r["day"][p])]
    kg = sim.declared_kg[p]
    return float(kg[np.isin(moy, high)].sum() / kg[np.isin(moy, low)].sum())


def test_seasonal_makes_farm_stores_buy_for_planting_and_water_works_for_the_rains() -> None:
    base, shaped = _sim(12), _sim(12, "seasonal")
    planting, dry = [8, 9, 10], [3, 4, 5]
    assert _season(shaped, "agriculture", planting, dry) > 2.5 * _season(base, "agriculture", planting, dry)
    rains, winter = [0, 1, 2], [5, 6, 7]
    assert _season(shaped, "water_treatment", rains, winter) > 1.25 * _season(base, "water_treatment", rains, winter)
    # The farm businesses inside the special-regime zones follow the planting season too.
    a, r, cal = shaped.world.arrays(), shaped.rows, shaped.world.cal
    zone = (shaped.world.places.zone_of[a.est_ubigeo[r["est"]]] >= 0) & (r["type"] == T["purchase"])
    zone &= np.asarray(shaped.world.reg.sector)[a.est_op[r["est"]]] == "agriculture"
    moy = cal.month_of_year[cal.month_of(r["day"])]
    kg = shaped.declared_kg
    assert kg[zone & np.isin(moy, planting)].sum() > 2 * kg[zone & np.isin(moy, dry)].sum()


def _purchase_delays(sim: Simulation) -> tuple[np.ndarray, set[tuple[int, int]]]:
    """Days from each sale's declaration to its purchase's, and the documents of all purchases."""
    r = sim.rows
    s, p = np.flatnonzero(r["type"] == T["sale"]), np.flatnonzero(r["type"] == T["purchase"])
    sale_day = {(int(e), int(n)): int(d) for e, n, d in zip(r["est"][s], r["doc_num"][s], r["day"][s], strict=True)}
    docs = list(zip(r["doc_est"][p].tolist(), r["doc_num"][p].tolist(), strict=True))
    delays = [int(d) - sale_day[k] for k, d in zip(docs, r["day"][p], strict=True) if k in sale_day]
    return np.asarray(delays), set(docs)


def test_late_filers_declare_in_batches_weeks_later_but_miss_nothing() -> None:
    base, late = _sim(12), _sim(12, "late_filers")
    base_delay, base_docs = _purchase_delays(base)
    late_delay, late_docs = _purchase_delays(late)
    assert (np.abs(late_delay) >= 20).mean() > 5 * (np.abs(base_delay) >= 20).mean()
    assert (late_delay < 0).any()  # a batching seller declares after its customer
    assert np.abs(late_delay).max() <= 45
    # Every end user's purchase of the default country is declared, but the last batches
    # (the same orders, so the same documents).
    r, end = base.rows, late.world.cal.end_day
    users = (base.world.arrays().role[base.world.arrays().est_op[r["est"]]] == END_USER) & (r["day"] <= end - 60)
    early = {(int(e), int(n)) for e, n in zip(r["doc_est"][users], r["doc_num"][users], strict=True)} & base_docs
    assert early and early <= late_docs


def test_large_miners_buy_many_times_the_sector_from_several_suppliers_within_quota() -> None:
    sim = _sim(12, "large_miners")
    r, a = sim.rows, sim.world.arrays()
    op = a.est_op[r["est"]]
    p = (r["type"] == T["purchase"]) & (np.asarray(sim.world.reg.sector)[op] == "mining")
    volume = np.bincount(op[p], weights=sim.declared_kg[p], minlength=len(a.role))
    mines = np.flatnonzero(volume > 0)
    giants = mines[volume[mines] >= 5 * np.median(volume[mines])]
    assert len(giants) >= 2
    for g in giants:
        mine = p & (op == g)
        pairs = np.unique(np.stack([r["chem"][mine], r["cp_est"][mine]])[:, r["cp_est"][mine] >= 0], axis=1)
        assert np.unique(pairs[0], return_counts=True)[1].mean() >= 2  # several suppliers per chemical
        # Their quotas were sized on their volume: no chemical's year exceeds its quota.
        quota = {(q.chem, from_day(q.valid_from).year): q.quota_kg for q in sim.authorisations if q.op == g}
        years = [from_day(int(d)).year for d in r["day"][mine]]
        bought: dict[tuple[int, int], float] = {}
        for c, y, kg in zip(r["chem"][mine].tolist(), years, sim.declared_kg[mine].tolist(), strict=True):
            bought[(c, y)] = bought.get((c, y), 0.0) + kg
        assert all(kg <= quota[k] for k, kg in bought.items())


def test_cooperatives_sell_small_lots_to_many_members_some_in_zones() -> None:
    base = _sim(12)
    assert not (base.world.arrays().role[base.world.arrays().est_op[base.rows["est"]]][
        base.rows["type"] == T["sale"]] == END_USER).any()  # by default no end user sells
    sim = _sim(12, "cooperatives")
    r, a, reg = sim.rows, sim.world.arrays(), sim.world.reg
    op = a.est_op[r["est"]]
    sales = (r["type"] == T["sale"]) & (a.role[op] == END_USER)
    coops = np.unique(op[sales])
    assert len(coops) >= 2 and all(reg.name[c].startswith("Cooperativa") for c in coops)
    in_zone = False
    for c in coops:
        mine, bought = sales & (op == c), (r["type"] == T["purchase"]) & (op == c)
        assert len(np.unique(r["cp"][mine])) >= 10  # many members
        assert np.median(sim.declared_kg[mine]) * 5 < np.median(sim.declared_kg[bought])  # small lots
        assert sim.declared_kg[mine].sum() <= sim.declared_kg[bought].sum()  # no more than it bought
        in_zone |= bool((sim.world.places.zone_of[r["dest"][mine]] >= 0).any())
        assert all("sell" in q.activities for q in sim.authorisations if q.op == c)
    assert in_zone


def test_an_unknown_profile_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown honest profile 'lazy'.*restocking, multi_sourcing, growth, "
                                         "seasonal, late_filers, large_miners, cooperatives"):
        SimParams(honest=("lazy",))
