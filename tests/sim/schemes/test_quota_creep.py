from __future__ import annotations

import numpy as np

from tests.sim.conftest import Written
from tests.sim.schemes.conftest import planted
from traza.sim.ledger import T
from traza.sim.params import from_day


def test_purchases_pass_the_annual_quota(small: Written) -> None:
    sim = small.sim
    r, kg = sim.rows, sim.declared_kg
    for p in planted(small, "quota_creep"):
        op = p.member("creeper")
        chem = int(r["chem"][p.idx][0])
        inflow = (p.declarant(np.arange(len(r))) == op) & (r["chem"] == chem) & (r["type"] == T["purchase"])
        years = np.asarray([from_day(int(d)).year for d in r["day"][inflow]])
        quotas = {from_day(a.valid_from).year: a.quota_kg for a in sim.authorisations if a.op == op and a.chem == chem}
        over = [y for y in set(years.tolist()) if kg[inflow][years == y].sum() > quotas[y]]
        assert over, (quotas, {y: kg[inflow][years == y].sum() for y in set(years.tolist())})
        # The climb: the last scheme month buys more than the first.
        months = sim.world.cal.month_of(r["day"][p.rows_of(("purchase",))])
        q = kg[p.rows_of(("purchase",))]
        assert q[months == months.max()].sum() > q[months == months.min()].sum()
