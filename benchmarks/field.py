"""Field operations at a year's scale: simulate a year (``--plots`` polygons, default
12,000: about Peru's 2005 eradication), load it (geometry checks, geodesic areas, district
boundaries), run the field checks and a month's tally; print the times and what the checks
found against the simulation's truth.

    python benchmarks/field.py [--plots 12000] [--engine duckdb]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import date
from pathlib import Path

from traza.field.checks import run_checks
from traza.field.load import load_field
from traza.field.sim import FieldParams, simulate_field, write_field
from traza.field.tally import tally_month
from traza.store import open_database


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plots", type=int, default=12_000)
    ap.add_argument("--engine", default="duckdb")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="traza-field-"))
    t0 = time.perf_counter()
    counts = write_field(simulate_field(FieldParams(plots=args.plots, certificates=400, abused=40)), folder)
    t1 = time.perf_counter()
    db = open_database(f"duckdb:///{folder / 'traza.duckdb'}")
    report = load_field(db, [folder / "field"])
    t2 = time.perf_counter()
    _, found = run_checks(db, args.engine, date(2025, 12, 31))
    t3 = time.perf_counter()
    tally = tally_month(db, "2025-06")
    t4 = time.perf_counter()
    with (folder / "truth_field.csv").open(encoding="utf-8") as fh:
        truth = {(r["check"], r["subject"]) for r in csv.DictReader(fh)}
    got = {(f.check.id, f.subject) for f in found if f.check.id != "lab_chemicals_traced"}
    rows = sum(counts.values())
    print(f"simulate: {counts['plots.geojson']:,} plots, {rows:,} rows in {t1 - t0:.1f} s")
    print(f"load: {report.rows_accepted:,} accepted, {report.rows_rejected} refused in {t2 - t1:.1f} s "
          f"({report.rows_accepted / (t2 - t1):,.0f} rows/s)")
    print(f"checks ({args.engine}): {len(found)} findings in {t3 - t2:.1f} s; truth {len(truth)}, caught "
          f"{len(truth & got)}, extra {len(got - truth)}")
    print(f"tally 2025-06: {tally.month.hectares:,.0f} ha month, {tally.year_to_date.hectares:,.0f} ha year "
          f"in {t4 - t3:.2f} s")
    db.close()


if __name__ == "__main__":
    main()
