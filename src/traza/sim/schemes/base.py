"""What every scheme generator gets and returns.

A generator is a pure function ``plant(ctx) -> SchemeOutput``. It may add operators to the
registry (front companies, unregistered buyers), edit the legitimate orders it corrupts
(through ``ctx.orders``, marking them with its scheme id) and return new orders and rows.
Members are the operators truly involved; ``ctx.level`` says how blatant to be:
0 obvious, 1 moderate, 2 subtle (near the noise of honest trade).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from traza.sim import names as nm
from traza.sim.demand import Flows, delivery_lags, pack_round, supplier_ests
from traza.sim.ledger import Arr, Orders, Rows
from traza.sim.profiles import DISTRIBUTOR, END_USER, PROFILES
from traza.sim.registry import NEVER
from traza.sim.world import World

LEVELS = ("obvious", "moderate", "subtle")


@dataclass(frozen=True)
class Member:
    op: int
    role: str


@dataclass
class SchemeOutput:
    members: list[Member]
    params: dict[str, Any]
    orders: list[Orders] = field(default_factory=list)
    rows: list[Rows] = field(default_factory=list)
    # (operator, chemical, year, quota kg): an authorisation the scheme needs below its volume.
    quotas: list[tuple[int, int, int, float]] = field(default_factory=list)


@dataclass
class SchemeContext:
    world: World
    flows: Flows
    orders: Orders  # legitimate orders; generators may edit them in place
    order_flow: Arr
    rng: np.random.Generator
    scheme: int
    level: int
    used: set[int]  # operators already in a scheme: schemes do not share members

    # -- time ---------------------------------------------------------------------------
    def window(self, lo: int, hi: int) -> tuple[int, int]:
        """A run of ``lo``..``hi`` whole months inside the period: (first, last) month index."""
        months = self.world.cal.months
        n = int(self.rng.integers(min(lo, months), min(hi, months) + 1))
        first = int(self.rng.integers(0, months - n + 1))
        return first, first + n - 1

    def month_days(self, first: int, last: int, per_month: float, fixed: bool = False) -> Arr:
        """Days of events in months ``first``..``last``: ``per_month`` each (Poisson unless fixed)."""
        cal = self.world.cal
        months = np.arange(first, last + 1)
        n = np.full(len(months), round(per_month)) if fixed else self.rng.poisson(per_month, len(months))
        m = np.repeat(months, np.maximum(n, 0))
        day = cal.month_starts[m] + (self.rng.random(len(m)) * cal.month_lengths[m]).astype(np.int64)
        return np.sort(np.minimum(day, cal.end_day))

    def day_of_month(self, month: int) -> int:
        return int(self.world.cal.month_starts[month])

    def month_end(self, month: int) -> int:
        cal = self.world.cal
        return min(int(cal.month_starts[month] + cal.month_lengths[month] - 1), cal.end_day)

    # -- who ----------------------------------------------------------------------------
    def chem(self, code: str) -> int:
        return self.world.chems.index[code]

    def claim(self, *ops: int) -> None:
        self.used.update(ops)

    def free(self, op: int) -> bool:
        return op not in self.used and self.world.reg.legit[op]

    def pick_flow(self, chems: list[str] | None = None, sectors: tuple[str, ...] | None = None,
                  roles: tuple[int, ...] = (END_USER,), max_base: float | None = None,
                  min_freq: float = 0.0) -> int:
        """A legitimate flow of a free operator, preferring the requested chemicals and sectors."""
        a = self.world.arrays()
        op = a.est_op[self.flows.est]
        legit = np.asarray(self.world.reg.legit)[op] & ~np.isin(op, sorted(self.used))
        ok = legit & (self.flows.supplier >= 0)
        ok &= np.isin(a.role[op], roles) & (a.stop[op] > self.world.cal.end_day)
        ok &= (a.start[op] <= self.world.cal.start_day) & (self.flows.freq >= min_freq)
        for narrowed in (
            (np.isin(self.flows.chem, [self.chem(c) for c in chems]) if chems else True)
            & (np.isin(np.asarray(self.world.reg.sector)[op], sectors) if sectors else True)
            & (self.flows.base_kg <= max_base if max_base else True),
            np.isin(self.flows.chem, [self.chem(c) for c in chems]) if chems else True,
            True,
        ):
            cand = np.flatnonzero(ok & narrowed)
            if len(cand):
                return int(cand[self.rng.integers(len(cand))])
        raise LookupError("no legitimate flow left for this scheme")

    def flow_orders(self, flow: int, first: int, last: int) -> Arr:
        cal = self.world.cal
        lo, hi = cal.month_starts[first], cal.month_starts[last + 1]
        d = self.orders["day"]
        return np.flatnonzero((self.order_flow == flow) & (d >= lo) & (d < hi))

    def op_of(self, est: int) -> int:
        return int(self.world.reg.est_op[est])

    def distributor_ests(self, chem: str, near: Arr | None = None, n: int = 1) -> list[int]:
        """Establishments of free distributors trading ``chem``, in the districts' departments
        of ``near`` when possible."""
        world = self.world
        ests = supplier_ests(world, self.chem(chem), (DISTRIBUTOR,))
        ests = np.asarray([e for e in ests if self.free(self.op_of(int(e)))], dtype=np.int64)
        if near is not None and len(ests):
            local = ests[np.isin(world.est_dept(ests), world.places.dept_of[near])]
            if len(local) >= n:
                ests = local
        picked = [int(e) for e in self.rng.choice(ests, size=min(n, len(ests)), replace=False)]
        while len({self.op_of(e) for e in picked}) < min(n, 2) or len(picked) < n:
            picked.append(self._spare_distributor(chem, int(near[0]) if near is not None else None))
        return picked[:n] if len(picked) > n else picked

    def _spare_distributor(self, chem: str, near: int | None) -> int:
        """A small economy may run out of free distributors: register one more, an honest
        business with its own restocking, that the scheme then corrupts."""
        world, rng = self.world, self.rng
        reg = world.reg
        ubigeo = near if near is not None else self.gateway_district()
        op = reg.add_operator(rng, sector="distributor",
                              name=nm.company_names(rng, PROFILES["distributor"].name_words, 1)[0],
                              registered_on=world.cal.start_day - int(rng.integers(400, 4000)),
                              start=world.cal.start_day, legit=True)
        world.carries[op] = {self.chem(chem)}
        return reg.add_establishment(rng, op, ubigeo, int(rng.integers(0, 4)))

    # -- new parties ----------------------------------------------------------------------
    def new_operator(self, sector: str, ubigeo: int, registered_on: int, *, start: int | None = None,
                     stop: int = NEVER, status: str = "active", rep: str | None = None,
                     phone: str | None = None, person: bool = False) -> tuple[int, int]:
        """A registered operator with one establishment; it gets no legitimate demand."""
        reg, rng = self.world.reg, self.rng
        name = (nm.person_names(rng, 1)[0] if person
                else nm.company_names(rng, PROFILES[sector].name_words, 1)[0])
        op = reg.add_operator(rng, sector=sector, name=name, registered_on=registered_on,
                              start=registered_on if start is None else start, stop=stop, status=status,
                              person=person, rep=rep, phone=phone)
        est = reg.add_establishment(rng, op, ubigeo, int(rng.integers(0, 4)))
        self.claim(op)
        return op, est

    def ghost(self, person: bool = True) -> int:
        """An unregistered party: a valid RUC that appears only as a counterparty."""
        reg, rng = self.world.reg, self.rng
        name = nm.person_names(rng, 1)[0] if person else nm.company_names(rng, ("Inversiones",), 1)[0]
        op = reg.add_operator(rng, sector="other", name=name, registered_on=0, start=0,
                              listed=False, person=person)
        self.claim(op)
        return op

    def zone_district(self, zone: str | None = "VRAEM") -> int:
        p = self.world.places
        pool = p.zone_districts_of(zone) if zone else p.zone_districts
        return int(pool[self.rng.integers(len(pool))])

    def gateway_district(self) -> int:
        pool = self.world.places.gateway_districts
        return int(pool[self.rng.integers(len(pool))])

    # -- movements --------------------------------------------------------------------------
    def sales(self, seller: int, buyer_est: int, chem: str | int, days: Arr, kg: Arr | float, *,
              buyer: int | None = None, dest: int | None = None, pack: bool = True,
              **extra: Any) -> Orders:
        """Orders from establishment ``seller`` to ``buyer_est`` (or to the unregistered party
        ``buyer``), delivered to ``dest`` (default: the buyer's establishment)."""
        reg = self.world.reg
        c = self.chem(chem) if isinstance(chem, str) else chem
        b = reg.est_op[buyer_est] if buyer_est >= 0 else buyer
        if b is None:
            raise ValueError("a sale needs a buyer establishment or an unregistered buyer")
        d = dest if dest is not None else reg.est_ubigeo[buyer_est]
        kgs = np.broadcast_to(np.asarray(kg, dtype=float), days.shape).copy()
        kgs = pack_round(kgs) if pack else np.round(kgs, 0)
        cols: dict[str, Any] = dict(seller=seller, buyer=b, buyer_est=buyer_est, chem=c, day=days,
                                    lag=delivery_lags(self.rng, len(days)), kg=kgs, dest=d,
                                    scheme=self.scheme, buyer_declares=buyer_est >= 0)
        cols.update(extra)
        return Orders.make(**cols)

    def own_rows(self, est: int, type_: int, chem: str | int, days: Arr, kg: Arr) -> Rows:
        c = self.chem(chem) if isinstance(chem, str) else chem
        return Rows.make(est=est, day=days, type=type_, chem=c, kg=np.round(kg, 2), cp=-1, cp_est=-1,
                         dest=-1, country=-1, doc_est=-1, doc_num=-1, scheme=self.scheme)

    def mark(self, idx: Arr) -> None:
        self.orders["scheme"][idx] = self.scheme
