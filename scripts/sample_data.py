"""Write a small sample of the v1 files (a few operators, a year of declarations, and a
handful of deliberately broken rows) for `make demo` and quick manual checks.

Usage: python scripts/sample_data.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from stdnum.pe import ruc as stdnum_ruc


def ruc(n: int) -> str:
    body = f"20{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


OPERATORS = [
    (ruc(1), "Importadora Química del Pacífico SAC", "importer", "070101"),
    (ruc(2), "Distribuidora Andina de Insumos SAC", "distributor", "150103"),
    (ruc(3), "Minera Cerro Alto SA", "mining", "040101"),
    (ruc(4), "Textiles San Juan SAC", "textile", "150132"),
    (ruc(5), "Agroservicios Pichari EIRL", "agriculture", "080910"),
]
CHEMS = {"importer": "sulfuric_acid", "distributor": "sulfuric_acid", "mining": "sulfuric_acid",
         "textile": "sulfuric_acid", "agriculture": "calcium_oxide"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (out / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)

    write("operators.csv", ["ruc", "name", "sector", "registered_on", "status"],
          [[r, n, s, "2015-01-01", "active"] for r, n, s, _ in OPERATORS])
    write("establishments.csv", ["ruc", "establishment_code", "ubigeo", "address"],
          [[r, "0000", u, f"Sede principal {n.split()[0]}"] for r, n, _, u in OPERATORS])
    write("authorisations.csv", ["ruc", "chemical", "activities", "annual_quota_kg", "valid_from", "valid_to"],
          [[r, CHEMS[s], "import;sell;store" if s in ("importer", "distributor") else "buy;use", 2_000_000,
            "2024-01-01", "2026-12-31"] for r, _, s, _ in OPERATORS] + [[ruc(1), "calcium_oxide", "import;sell", "", "2024-01-01", ""]])
    header = ["declaration_id", "declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit",
              "counterparty_ruc", "counterparty_establishment", "document_ref", "destination_ubigeo", "origin_country",
              "destination_country"]
    rows: list[list[object]] = []
    day = date(2025, 1, 1)
    n = 0
    for week in range(52):
        d = day + timedelta(days=7 * week)
        rows.append([f"I-{week}", ruc(1), "0000", d, "import", "sulfuric_acid", 40 + rng.randint(0, 10), "t", "", "", f"DAM-{week}", "", "CN", ""])
        for buyer, _, sector, ubigeo in OPERATORS[1:]:
            chem = CHEMS[sector]
            qty = round(rng.uniform(2, 8), 1) * (1000 if chem == "sulfuric_acid" else 100)
            n += 1
            ref = f"T001-{n}"
            rows.append([f"S-{n}", ruc(1), "0000", d, "sale", chem, qty, "kg", buyer, "0000", ref, ubigeo, "", ""])
            rows.append([f"P-{n}", buyer, "0000", d + timedelta(days=1), "purchase", chem, qty, "kg", ruc(1), "0000", ref, "", "", ""])
            rows.append([f"C-{n}", buyer, "0000", d + timedelta(days=3), "consumption", chem, round(qty * 0.9, 1), "kg", "", "", "", "", "", ""])
    # The honest mess: a litre declaration, a sale to an unregistered buyer, and broken rows.
    rows.append(["X-1", ruc(2), "0000", date(2025, 6, 1), "consumption", "sulfuric_acid", 500, "l", "", "", "", "", "", ""])
    rows.append(["X-2", ruc(1), "0000", date(2025, 6, 2), "sale", "sulfuric_acid", 900, "kg", ruc(77), "", "T001-X2", "050401", "", ""])
    rows.append(["X-3", ruc(1), "0000", "2025-06-31", "sale", "sulfuric_acid", 900, "kg", ruc(2), "", "T001-X3", "150103", "", ""])
    rows.append(["X-4", ruc(3), "0000", date(2025, 6, 3), "consumption", "potassium_permanganate", 20, "l", "", "", "", "", "", ""])
    rows.append(["X-5", "20123456780", "0000", date(2025, 6, 3), "consumption", "acetone", 5, "kg", "", "", "", "", "", ""])
    write("movements.csv", header, rows)
    print(f"sample written to {out} ({len(rows)} movements)")


if __name__ == "__main__":
    main()
