"""The registry: operators (registered or not) and their establishments.

Parties that only ever appear as counterparties (an unregistered buyer) are operators with
``listed`` False: one index space for every RUC keeps counterparties simple.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from stdnum.pe import ruc as stdnum_ruc

from traza.sim import names as nm
from traza.sim.ledger import Arr
from traza.sim.params import SimParams, to_day
from traza.sim.places import Places
from traza.sim.profiles import DISTRIBUTOR, END_USER, IMPORTER, PRODUCER, PROFILES

NEVER = 2**31 - 1
# How operators write quantities: kilograms, litres, US gallons, UN/ECE codes.
STYLE_KG, STYLE_LITRES, STYLE_GALLONS, STYLE_UNECE = 0, 1, 2, 3


@dataclass
class Registry:
    ruc: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    role: list[int] = field(default_factory=list)
    registered_on: list[int] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    rep: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    listed: list[bool] = field(default_factory=list)
    size: list[float] = field(default_factory=list)
    start: list[int] = field(default_factory=list)  # first day of activity
    stop: list[int] = field(default_factory=list)  # last day of activity
    legit: list[bool] = field(default_factory=list)  # gets legitimate demand
    est_op: list[int] = field(default_factory=list)
    est_code: list[int] = field(default_factory=list)
    est_ubigeo: list[int] = field(default_factory=list)
    est_address: list[str] = field(default_factory=list)
    est_style: list[int] = field(default_factory=list)
    est_cas: list[bool] = field(default_factory=list)  # declares chemicals by CAS number
    _bodies: set[str] = field(default_factory=set)
    _est_count: dict[int, int] = field(default_factory=dict)

    def new_ruc(self, rng: np.random.Generator, person: bool = False) -> str:
        """A fresh RUC with a valid check digit: 20 + 8 digits for companies, 10 + DNI for persons."""
        while True:
            body = ("10" if person else "20") + f"{int(rng.integers(0, 100_000_000)):08d}"
            if body not in self._bodies:
                self._bodies.add(body)
                return body + stdnum_ruc.calc_check_digit(body)

    def add_operator(self, rng: np.random.Generator, *, sector: str, name: str, registered_on: int,
                     start: int, stop: int = NEVER, status: str = "active", size: float = 1.0,
                     person: bool = False, listed: bool = True, legit: bool = False,
                     rep: str | None = None, phone: str | None = None, email: str | None = None) -> int:
        self.ruc.append(self.new_ruc(rng, person))
        self.name.append(name)
        self.sector.append(sector)
        self.role.append(PROFILES[sector].role)
        self.registered_on.append(registered_on)
        self.status.append(status)
        self.rep.append(rep if rep is not None else f"{int(rng.integers(10_000_000, 80_000_000)):08d}")
        self.phone.append(phone if phone is not None else f"9{int(rng.integers(0, 100_000_000)):08d}")
        self.email.append(email if email is not None else nm.emails(rng, [name])[0])
        self.listed.append(listed)
        self.size.append(size)
        self.start.append(start)
        self.stop.append(stop)
        self.legit.append(legit)
        return len(self.ruc) - 1

    def add_establishment(self, rng: np.random.Generator, op: int, ubigeo: int,
                          style: int = STYLE_KG, address: str | None = None) -> int:
        self.est_op.append(op)
        self.est_code.append(self._est_count.get(op, 0))
        self._est_count[op] = self.est_code[-1] + 1
        self.est_ubigeo.append(ubigeo)
        self.est_address.append(address if address is not None else nm.addresses(rng, 1)[0])
        self.est_style.append(style)
        self.est_cas.append(False)
        return len(self.est_op) - 1

    def ests_of(self, op: int) -> list[int]:
        return [e for e, o in enumerate(self.est_op) if o == op]

    def arrays(self) -> RegistryArrays:
        return RegistryArrays(
            role=np.asarray(self.role, dtype=np.int8), start=np.asarray(self.start, dtype=np.int64),
            stop=np.asarray(self.stop, dtype=np.int64), size=np.asarray(self.size),
            est_op=np.asarray(self.est_op, dtype=np.int32), est_code=np.asarray(self.est_code, dtype=np.int32),
            est_ubigeo=np.asarray(self.est_ubigeo, dtype=np.int32),
            est_style=np.asarray(self.est_style, dtype=np.int8), est_cas=np.asarray(self.est_cas),
        )


@dataclass(frozen=True)
class RegistryArrays:
    role: Arr
    start: Arr
    stop: Arr
    size: Arr
    est_op: Arr
    est_code: Arr
    est_ubigeo: Arr
    est_style: Arr
    est_cas: Arr


def sector_counts(n: int) -> dict[str, int]:
    """Operators per sector: shares by largest remainder, with the few suppliers every
    supply chain needs (two importers, two producers, three distributors, one of each user)."""
    shares = {s: p.share for s, p in PROFILES.items()}
    total = sum(shares.values())
    raw = {s: n * v / total for s, v in shares.items()}
    counts = {s: int(v) for s, v in raw.items()}
    for s in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
        counts[s] += 1
    minimum = {"importer": 2, "chemical_mfg": 3, "distributor": 3}
    for s in counts:
        need = minimum.get(s, 1) - counts[s]
        if need > 0:
            counts[s] += need
            counts[max(counts, key=lambda k: counts[k])] -= need
    return counts


def build_registry(params: SimParams, places: Places, rng: np.random.Generator) -> Registry:
    cal = params.calendar
    reg = Registry()
    counts = sector_counts(params.operators)
    sectors = np.asarray([s for s, k in counts.items() for _ in range(k)])
    sectors = sectors[rng.permutation(len(sectors))]
    n = len(sectors)
    first_reg = to_day(date(2005, 1, 1))
    registered = rng.integers(first_reg, cal.start_day - 30, n)
    start = np.full(n, cal.start_day, dtype=np.int64)
    stop = np.full(n, NEVER, dtype=np.int64)
    status = np.full(n, "active", dtype=object)
    end_user = np.asarray([PROFILES[s].role == END_USER for s in sectors])
    span = cal.end_day - cal.start_day
    # Legitimate newcomers: end users registered during the period, active a few weeks later.
    new = end_user & (rng.random(n) < 0.08) & (span > 120)
    if new.any():
        registered[new] = rng.integers(cal.start_day, cal.end_day - min(90, span // 3), new.sum())
        start[new] = registered[new] + rng.integers(15, 90, new.sum())
    # Operators that close down during the period, suspended or revoked by the regulator.
    closing = end_user & ~new & (rng.random(n) < 0.035) & (span > 120)
    stop[closing] = rng.integers(cal.start_day + span // 4, cal.end_day, closing.sum())
    status[closing] = np.where(rng.random(closing.sum()) < 0.6, "suspended", "revoked")
    size = np.where(
        end_user, rng.lognormal(0.0, 0.7, n),
        np.asarray([{IMPORTER: 3.0, PRODUCER: 5.0, DISTRIBUTOR: 1.0}.get(PROFILES[s].role, 1.0) for s in sectors])
        * rng.lognormal(0.0, 0.5, n),
    )
    person = np.asarray([s in ("agriculture", "transport", "fuel") for s in sectors]) & (rng.random(n) < 0.3)
    names: list[str] = [""] * n
    for s, prof in PROFILES.items():
        idx = np.flatnonzero(sectors == s)
        companies = nm.company_names(rng, prof.name_words, len(idx))
        persons = nm.person_names(rng, len(idx))
        for j, kk in enumerate(idx):
            names[int(kk)] = persons[j] if person[kk] else companies[j]
    reps = [f"{v:08d}" for v in rng.integers(10_000_000, 80_000_000, n)]
    phones = [f"9{v:08d}" for v in rng.integers(0, 100_000_000, n)]
    mails = nm.emails(rng, names)
    for k in range(n):
        reg.add_operator(
            rng, sector=str(sectors[k]), name=names[k], registered_on=int(registered[k]),
            start=int(start[k]), stop=int(stop[k]), status=str(status[k]), size=float(size[k]),
            person=bool(person[k]), legit=True, rep=reps[k], phone=phones[k], email=mails[k],
        )
    for s in PROFILES:
        _place(reg, places, rng, np.flatnonzero(sectors == s), s)
    _share_identities(reg, rng)
    return reg


def _n_establishments(rng: np.random.Generator, sector: str, n: int) -> Arr:
    role = PROFILES[sector].role
    if role == DISTRIBUTOR:
        return 1 + np.minimum(4, rng.poisson(1.0, n))
    if role in (IMPORTER, PRODUCER):
        return 1 + (rng.random(n) < 0.4)
    if sector == "mining":
        return 1 + rng.integers(0, 3, n)
    return 1 + (rng.random(n) < 0.12) + (rng.random(n) < 0.03)


def _place(reg: Registry, places: Places, rng: np.random.Generator, ops: Arr, sector: str) -> None:
    """Establishments of the operators ``ops`` of one sector: the main one where the sector
    concentrates (or inside a zone, for the sector's zone share), branches nearby or, for
    distributors and fuel, anywhere in the country."""
    prof = PROFILES[sector]
    n = len(ops)
    if n == 0:
        return
    k = _n_establishments(rng, sector, n)
    in_zone = rng.random(n) < prof.zone_share
    main = places.draw(rng, dict(prof.departments), n)
    if in_zone.any():
        main[in_zone] = places.draw(rng, {"ZONE": 1.0}, int(in_zone.sum()))
    national = prof.role == DISTRIBUTOR or sector in ("fuel", "transport")
    far = places.draw(rng, dict(PROFILES["distributor"].departments), int(k.sum()))
    habit = (0.15, 0.15, 0.6, 0.1) if sector in ("fuel", "transport") else (0.55, 0.3, 0.05, 0.1)
    styles = rng.choice(4, size=n, p=habit)
    cas = rng.random(int(k.sum())) < 0.04
    streets = nm.addresses(rng, int(k.sum()))
    municipal = rng.random(n) < 0.5
    lima = np.asarray([places.ubigeos[u][:4] in ("1501", "0701") for u in main])
    landlines = nm.phones(rng, n, lima)
    j = 0
    for i, op in enumerate(ops):
        op = int(op)
        m = int(main[i])
        if lima[i] and landlines[i].startswith("01"):
            reg.phone[op] = landlines[i]
        if sector == "other" and municipal[i]:
            reg.name[op] = f"Municipalidad Distrital de {places.names[m]}"
            reg.email[op] = f"mesadepartes@muni{nm.slug(places.names[m])}.gob.pe"
        for b in range(int(k[i])):
            if b == 0 or in_zone[i]:
                ub = m
            elif national:
                ub = int(far[j + b])
            else:
                # Branches of a local business stay in its department.
                pool = places.districts_of(places.departments[int(places.dept_of[m])])
                pool = pool[places.zone_of[pool] < 0]
                ub = int(pool[int(far[j + b]) % len(pool)]) if len(pool) else m
            e = reg.add_establishment(rng, op, ub, int(styles[i]), streets[j + b])
            reg.est_cas[e] = bool(cas[j + b])
        j += int(k[i])


def _share_identities(reg: Registry, rng: np.random.Generator) -> None:
    """Corporate groups: a few legitimate operators share a legal representative or a phone
    with a sister company, which is exactly what front companies do too."""
    n = len(reg.ruc)
    pairs = rng.integers(0, n, size=(max(1, n // 60), 2))
    for a, b in pairs:
        if a != b:
            if rng.random() < 0.5:
                reg.rep[b] = reg.rep[a]
            else:
                reg.phone[b] = reg.phone[a]
