"""Detection speed: every rule on a simulated country of N movements, on DuckDB (and, on
request, PostgreSQL, Spark local and a Spark standalone cluster, side by side), against one
bare aggregate scan of the movements table in the same run.

    python benchmarks/detect.py --rows 1000000 10000000 [--engines duckdb postgres spark spark-cluster]

Prints, per size: movements, detection time, peak RSS of the detection process, the time of
a bare GROUP BY over movements, and the ratio; then, for the other engines asked for, their
time and findings beside DuckDB's (time ratio, and whether they found the same alerts, by alert id).
Targets (issue 4): 10M movements, all rules, at most 60 s on 2 cores, under 6 GB; growth
near-linear from 1M to 10M. PostgreSQL runs on $TRAZA_BENCH_PG (default the server on
127.0.0.1:5432, a schema of its own, dropped afterwards); the cluster is a master and one
worker started from the installed PySpark on 127.0.0.1 (tests/sparkcluster.py), stopped after.
"""

from __future__ import annotations

import argparse
import json
import os
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

ROOT = Path(__file__).resolve().parents[1]
MONTHS = 24
ENGINES = ("duckdb", "postgres", "spark", "spark-cluster")
PG = os.environ.get("TRAZA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
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
# the findings' identities (alert ids), so that engines are compared finding by finding
print(json.dumps(sorted({f.alert_id for f in report.findings})))
print(time.perf_counter() - t, len(report.findings), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
FOUND: dict[str, set[str]] = {}  # the alert ids of each engine's last run


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


def run_detect(path: Path | str, engine: str, top: int = 0, env: dict[str, str] | None = None,
               label: str | None = None) -> tuple[float, int, float]:
    url = path if isinstance(path, str) else f"duckdb:///{path}"
    out = subprocess.run([sys.executable, "-c", CHILD, url, engine],
                         capture_output=True, text=True, check=True, env={**os.environ, **(env or {})})
    lines = out.stdout.strip().splitlines()
    seconds, findings, rss = lines[-1].split()
    FOUND[label or engine] = set(json.loads(lines[-2]))
    if top:
        steps = sorted(json.loads(lines[-3]).items(), key=lambda kv: -kv[1])[:top]
        print("  slowest steps: " + ", ".join(f"{name} {t:.1f} s" for name, t in steps), flush=True)
    return float(seconds), int(findings), float(rss)


def on_postgres(path: Path, top: int) -> tuple[float, int, float, float]:
    """(detection s, findings, RSS MiB, load s) on a PostgreSQL schema of its own, loaded from
    the same CSV files as the DuckDB country."""
    import psycopg

    schema = f"traza_bench_{os.getpid()}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{PG}{'&' if '?' in PG else '?'}options=-csearch_path%3D{schema}"
    try:
        t = time.perf_counter()
        with open_database(url) as db:
            load_paths(db, [path.parent / f"{k}.csv" for k in ("operators", "establishments", "authorisations", "movements")])
        loaded = time.perf_counter() - t
        return (*run_detect(url, "postgres", top), loaded)
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def on_cluster(path: Path, top: int, work: Path) -> tuple[float, int, float]:
    sys.path.insert(0, str(ROOT))
    from tests.sparkcluster import standalone_cluster

    with standalone_cluster(work / "spark-cluster-logs", cores=2, memory="3g") as cluster:
        return run_detect(path, "spark", top, env={"TRAZA_SPARK_MASTER": cluster.url}, label="spark-cluster")


def side_by_side(path: Path, movements: int, seconds: float, engines: list[str], top: int, work: Path) -> None:
    for engine in engines:
        note = ""
        if engine == "postgres":
            s, f, rss, loaded = on_postgres(path, top)
            note = f" (after loading the CSV files into PostgreSQL in {loaded:.0f} s)"
            name = "PostgreSQL"
        elif engine == "spark":
            s, f, rss = run_detect(path, "spark", top)
            name, note = "Spark local[2]", " (export to Parquet included)"
        else:
            s, f, rss = on_cluster(path, top, work)
            name, note = "Spark standalone cluster (1 worker, 2 cores)", " (export to Parquet included)"
        mine, duck_ids = FOUND[engine], FOUND["duckdb"]
        same = (f"the same {f:,} findings as DuckDB" if mine == duck_ids else
                f"{f:,} findings: {len(mine - duck_ids)} not in DuckDB's, {len(duck_ids - mine)} of DuckDB's missing")
        print(f"{movements:,} movements: {name} detection {s:.1f} s, {s / seconds:.1f}x DuckDB, {same}, "
              f"peak RSS {rss:,.0f} MiB{note}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=["duckdb"],
                    help="engines to time beside DuckDB, on the smallest size")
    ap.add_argument("--spark", action="store_true", help="same as --engines duckdb spark")
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
        others = [e for e in dict.fromkeys([*args.engines, *(["spark"] if args.spark else [])]) if e != "duckdb"]
        if others and rows == min(args.rows):
            side_by_side(path, movements, seconds, others, args.top, work)


if __name__ == "__main__":
    main()
