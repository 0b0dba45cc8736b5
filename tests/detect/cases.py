"""Tiny hand-made worlds for the rule tests: a few operators and tens of movements, written
as v1 files with the factories' ``Dataset`` and loaded through the real loader.

Every movement carries ``declared_on`` (its own date unless a test says otherwise), so a
detection run's ``as_of`` sees exactly what the case declared by then, whatever day the
tests run on.
"""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

from tests.factories import Dataset, make_ruc, movement
from traza.detect.catalogue import default_rules
from traza.detect.engines import make_engine
from traza.detect.runner import Finding, find
from traza.ingest import load_paths
from traza.sim.params import SimParams
from traza.store import Database

# The loader refuses dates after "today"; the cases live in 2024-2025.
TODAY = date(2026, 11, 26)
LIMA, AREQUIPA = "150101", "040101"
ZONE = "100601"  # a district of the Alto Huallaga special-regime zone

# One small simulated country for the engine and replay tests (about 22,000 movements, one
# scheme of each typology), and its four v1 files.
COUNTRY = SimParams(operators=120, months=12, seed=3, schemes=12)
V1 = ("operators.csv", "establishments.csv", "authorisations.csv", "movements.csv")


class World:
    """A registry and ledger built in Python: ``operator``, ``authorise``, ``move``, ``sale``."""

    def __init__(self, folder: Path) -> None:
        self.data = Dataset(folder)
        self.data.operators.clear()
        self.data.establishments.clear()
        self.data.authorisations.clear()
        self.data.movements.clear()
        self._ids = itertools.count(1)

    def operator(self, n: int, sector: str = "distributor", *, registered_on: str = "2015-01-01",
                 status: str = "active", ubigeo: str = LIMA, **extra: str) -> str:
        """Register operator ``n`` with its main establishment (0000); return its RUC."""
        ruc = make_ruc(n)
        self.data.operators.append({"ruc": ruc, "name": f"Operador {n} SAC", "sector": sector,
                                    "registered_on": registered_on, "status": status, **extra})
        self.site(ruc, "0000", ubigeo)
        return ruc

    def site(self, ruc: str, code: str, ubigeo: str = LIMA) -> None:
        self.data.establishments.append({"ruc": ruc, "establishment_code": code, "ubigeo": ubigeo,
                                         "address": f"Local {code}"})

    def authorise(self, ruc: str, chemical: str, *, activities: str = "buy;use", quota: float | str = "",
                  valid_from: str = "2024-01-01", valid_to: str = "") -> None:
        self.data.authorisations.append({"ruc": ruc, "chemical": chemical, "activities": activities,
                                         "annual_quota_kg": str(quota), "valid_from": valid_from,
                                         "valid_to": valid_to})

    def move(self, ruc: str, type_: str, kg: float, day: str, *, chemical: str = "sulfuric_acid",
             declared_on: str | None = None, est: str = "0000", **extra: Any) -> None:
        """One declaration by ``ruc``, in kilograms."""
        if type_ == "import":
            extra.setdefault("origin_country", "CN")
        if type_ == "export":
            extra.setdefault("destination_country", "BO")
        self.data.movements.append(movement(
            f"D{next(self._ids)}", ruc, type_, kg, "kg", chemical=chemical, date=day, est=est,
            declared_on=declared_on or day, **extra))

    def sale(self, seller: str, buyer: str, kg: float, day: str, *, chemical: str = "sulfuric_acid",
             dest: str = LIMA, est: str = "0000", declared: bool = True, buyer_kg: float | None = None,
             buyer_day: str | None = None, doc: str | None = None, buyer_declared_on: str | None = None) -> None:
        """A sale with its remission guide; the buyer declares the purchase unless
        ``declared`` is false (quoting the guide unless ``doc`` says otherwise)."""
        guide = f"T001-{next(self._ids):06d}"
        self.move(seller, "sale", kg, day, chemical=chemical, est=est, counterparty_ruc=buyer,
                  document_ref=guide, destination_ubigeo=dest)
        if declared:
            self.move(buyer, "purchase", kg if buyer_kg is None else buyer_kg, buyer_day or day,
                      chemical=chemical, counterparty_ruc=seller, document_ref=guide if doc is None else doc,
                      declared_on=buyer_declared_on)

    def load(self, db: Database) -> None:
        report = load_paths(db, self.data.write(), today=TODAY)
        assert report.rows_rejected == 0, report.top_reasons()


def run(db: Database, rule_id: str, as_of: str, **params: float) -> list[Finding]:
    """Findings of one rule on ``db``'s own engine (DuckDB or PostgreSQL)."""
    engine = make_engine(db.dialect, db)
    try:
        return find(engine, [default_rules().get(rule_id)], date.fromisoformat(as_of),
                    {rule_id: params} if params else None)
    finally:
        engine.close()


def months(year: int, first: int, last: int, day: int = 10) -> list[str]:
    """ISO dates on ``day`` of each month from ``first`` to ``last`` of ``year``."""
    return [f"{year}-{m:02d}-{day:02d}" for m in range(first, last + 1)]


def load_country(db: Database, folder: Path) -> None:
    report = load_paths(db, [folder / name for name in V1], today=TODAY)
    assert report.rows_rejected == 0, report.top_reasons()
