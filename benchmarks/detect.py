"""Detection speed: every rule on a simulated country of N movements, on DuckDB (and Spark
on request), against one bare aggregate scan of the movements table in the same run.

    python benchmarks/detect.py --rows 1000000 10000000 [--spark]

Prints, per size: movements, detection time, peak RSS of the detection process, the time of
a bare GROUP BY over movements, and the ratio. Targets (issue 4): 10M movements, all rules,
at most 60 s on 2 cores, under 6 GB; growth near-linear from 1M to 10M.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from traza.ingest import load_paths
from traza.sim.build import simulate
from traza.sim.params import SimParams, operators_for
from traza.sim.write import write_simulation
from traza.store import open_database

MONTHS = 24
CHILD = """
import json, resource, sys, time
from datetime import date
from traza.detect.runner import detect
from traza.store import open_database
db = open_database(sys.argv[1])
steps, last = {}, [time.perf_counter(), None]
def tick(what, i, n):
    now = time.perf_counter()
    if last[1]:
        steps[last[1]] = round(now - last[0], 2)
    last[:] = [now, what]
t = time.perf_counter()
report = detect(db, sys.argv[2], as_of=date(2026, 10, 31), progress=tick)
print(json.dumps(steps))
print(time.perf_counter() - t, len(report.findings), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def prepare(rows: int, work: Path) -> Path:
    out = work / f"r{rows}"
    if (out / "traza.duckdb").exists():  # --work: a country prepared by an earlier run
        return out / "traza.duckdb"
    params = SimParams(operators=operators_for(rows, MONTHS), months=MONTHS, seed=42, schemes=36)
    write_simulation(simulate(params), out)
    with open_database(f"duckdb:///{out / 'traza.duckdb'}") as db:
        load_paths(db, [out / f"{k}.csv" for k in ("operators", "establishments", "authorisations", "movements")])
    return out / "traza.duckdb"


def bare_scan(path: Path) -> tuple[float, int]:
    con = duckdb.connect(str(path), read_only=True)
    t = time.perf_counter()
    len(con.execute("SELECT declarant_ruc, chemical, date_trunc('month', date), sum(quantity_kg), count(*) "
                        "FROM movements GROUP BY ALL").fetchall())
    took = time.perf_counter() - t
    movements = int(con.execute("SELECT count(*) FROM movements").fetchall()[0][0])
    con.close()
    return took, movements


def run_detect(path: Path, engine: str, top: int = 0) -> tuple[float, int, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, f"duckdb:///{path}", engine],
                         capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    seconds, findings, rss = lines[-1].split()
    if top:
        steps = sorted(json.loads(lines[-2]).items(), key=lambda kv: -kv[1])[:top]
        print("  slowest steps: " + ", ".join(f"{name} {t:.1f} s" for name, t in steps), flush=True)
    return float(seconds), int(findings), float(rss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--spark", action="store_true", help="also time the Spark engine on the smallest size")
    ap.add_argument("--top", type=int, default=8, help="print the N slowest base tables and rules of each run")
    ap.add_argument("--work", type=Path, help="keep the simulated countries here and reuse them on the next run")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="traza-detect-bench-"))
    first: tuple[int, float] | None = None
    for rows in args.rows:
        t = time.perf_counter()
        path = prepare(rows, work)
        prep = time.perf_counter() - t
        scan, movements = bare_scan(path)
        seconds, findings, rss = run_detect(path, "duckdb", args.top)
        growth = ""
        if first:
            growth = f", {seconds / first[1]:.1f}x the time for {movements / first[0]:.1f}x the rows"
        first = first or (movements, seconds)
        print(f"{movements:,} movements (prepared in {prep:.0f} s): DuckDB detection {seconds:.1f} s, "
              f"{findings:,} findings, peak RSS {rss:,.0f} MiB; bare aggregate scan {scan:.2f} s; "
              f"ratio {seconds / scan:.0f}x{growth}", flush=True)
        if args.spark and rows == min(args.rows):
            s_seconds, s_findings, s_rss = run_detect(path, "spark", args.top)
            print(f"{movements:,} movements: Spark (local[2]) detection {s_seconds:.1f} s, {s_findings:,} findings, "
                  f"driver peak RSS {s_rss:,.0f} MiB (export to Parquet included)", flush=True)


if __name__ == "__main__":
    main()
