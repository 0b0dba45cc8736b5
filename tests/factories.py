"""Small generated declaration files for tests: valid by default, broken on purpose."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from stdnum.pe import ruc as stdnum_ruc

from traza.core.types import KINDS


def make_ruc(n: int, prefix: str = "20") -> str:
    """A valid RUC (correct check digit) numbered ``n``."""
    body = f"{prefix}{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


SELLER, BUYER, THIRD = make_ruc(1), make_ruc(2), make_ruc(3)
V1_KINDS = ("operators", "establishments", "authorisations", "movements")
UNREGISTERED = make_ruc(99)


def invalid_ruc(n: int = 5) -> str:
    good = make_ruc(n)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


class Dataset:
    """Writes v1 files into a folder; each ``*_rows`` list can be edited before ``write``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.operators: list[dict[str, Any]] = [
            {"ruc": SELLER, "name": "Químicos del Sur SAC", "sector": "distributor", "registered_on": "2015-03-01",
             "status": "active", "phone": "+51 1 555 1234", "email": "ventas@qsur.pe"},
            {"ruc": BUYER, "name": "Minera Andina SA", "sector": "mining", "registered_on": "2010-06-15",
             "status": "active", "phone": "", "email": ""},
            {"ruc": THIRD, "name": "Textil Lima SAC", "sector": "textile", "registered_on": "2012-01-10",
             "status": "active", "phone": "", "email": ""},
        ]
        self.establishments: list[dict[str, Any]] = [
            {"ruc": SELLER, "establishment_code": "0000", "ubigeo": "150101", "address": "Av. Argentina 123, Lima"},
            {"ruc": SELLER, "establishment_code": "0001", "ubigeo": "070101", "address": "Callao"},
            {"ruc": BUYER, "establishment_code": "0000", "ubigeo": "040101", "address": "Km 20, Arequipa"},
            {"ruc": THIRD, "establishment_code": "0000", "ubigeo": "150103", "address": "Ate"},
        ]
        self.authorisations: list[dict[str, Any]] = [
            {"ruc": SELLER, "chemical": "sulfuric_acid", "activities": "import;sell;store", "annual_quota_kg": "500000",
             "valid_from": "2024-01-01", "valid_to": "2026-12-31"},
            {"ruc": BUYER, "chemical": "7664-93-9", "activities": "buy;use", "annual_quota_kg": "200000",
             "valid_from": "2024-01-01", "valid_to": ""},
        ]
        self.movements: list[dict[str, Any]] = [
            movement("S-1", SELLER, "import", 10000, "kg", date="2025-01-05", origin_country="CN"),
            movement("S-2", SELLER, "sale", 2000, "l", date="2025-01-10", counterparty_ruc=BUYER,
                     counterparty_establishment="0000", document_ref="T001-1", destination_ubigeo="040101"),
            movement("B-1", BUYER, "purchase", 3680, "kg", date="2025-01-11", counterparty_ruc=SELLER,
                     document_ref="T001-1"),
            movement("B-2", BUYER, "consumption", 1000, "kg", date="2025-01-20"),
        ]
        # Seller item codes mapped to chemicals, for UBL documents (written only when named).
        self.product_mappings: list[dict[str, Any]] = []

    def write(self, *kinds: str, name: str | None = None) -> list[Path]:
        """Write the named kinds (default: the four v1 files) as CSV; return their paths."""
        out = []
        for kind in kinds or V1_KINDS:
            rows = getattr(self, kind)
            out.append(write_csv(self.folder / (name or f"{kind}.csv"), rows, kind))
        return out


def movement(decl: str | None, ruc: str, type_: str, qty: Any, unit: str, *, chemical: str = "sulfuric_acid",
             date: str = "2025-01-10", est: str = "0000", **extra: Any) -> dict[str, Any]:
    row = {"declaration_id": decl or "", "declarant_ruc": ruc, "establishment_code": est, "date": date,
           "type": type_, "chemical": chemical, "quantity": str(qty), "unit": unit}
    row.update(extra)
    return row


def write_csv(path: Path, rows: list[dict[str, Any]], kind: str) -> Path:
    required, optional = KINDS[kind]
    cols = list(required) + [c for c in optional if any(c in r for r in rows)]
    for r in rows:
        cols += [c for c in r if c not in cols]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})
    return path
