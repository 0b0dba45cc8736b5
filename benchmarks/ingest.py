"""Ingestion speed: N valid movement rows validated and committed by `traza load`, against
DuckDB's own bare `read_csv` of the same file into a table, in the same run.

    python benchmarks/ingest.py --rows 1000000

Prints both times, the ratio, and the peak resident memory of the `traza load` process.
Target (issue 2): at most 3x the bare load, under 2 GB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from stdnum.pe import ruc as stdnum_ruc

CHEMICALS = np.array(["sulfuric_acid", "kerosene", "acetone", "hydrochloric_acid", "calcium_oxide", "toluene"])
UNITS = np.array(["kg", "kg", "l", "kg", "kg", "l"])


def _ruc(n: int) -> str:
    body = f"20{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def generate(folder: Path, rows: int, operators: int = 2000, seed: int = 1) -> Path:
    rng = np.random.default_rng(seed)
    rucs = np.array([_ruc(i + 1) for i in range(operators)])
    pacsv.write_csv(pa.table({"ruc": rucs, "name": [f"Operador {i}" for i in range(operators)],
                              "sector": ["distributor"] * operators, "registered_on": ["2015-01-01"] * operators,
                              "status": ["active"] * operators}), folder / "operators.csv")
    pacsv.write_csv(pa.table({"ruc": rucs, "establishment_code": ["0000"] * operators,
                              "ubigeo": ["150101"] * operators, "address": ["Lima"] * operators}),
                    folder / "establishments.csv")
    declarant = rng.integers(0, operators, rows)
    counterparty = (declarant + 1 + rng.integers(0, operators - 1, rows)) % operators
    chem = rng.integers(0, len(CHEMICALS), rows)
    kind = rng.choice(np.array(["sale", "purchase", "consumption"]), rows, p=[0.4, 0.4, 0.2])
    is_transfer = kind != "consumption"
    days = np.datetime64("2023-01-01") + rng.integers(0, 700, rows).astype("timedelta64[D]")
    table = pa.table({
        "declaration_id": np.char.add("D", np.arange(rows).astype(str)),
        "declarant_ruc": rucs[declarant],
        "establishment_code": np.full(rows, "0000"),
        "date": days.astype(str),
        "type": kind,
        "chemical": CHEMICALS[chem],
        "quantity": np.round(rng.lognormal(6, 1, rows), 1).astype(str),
        "unit": UNITS[chem],
        "counterparty_ruc": np.where(is_transfer, rucs[counterparty], ""),
        "counterparty_establishment": np.where(is_transfer, "0000", ""),
        "document_ref": np.where(is_transfer, np.char.add("T001-", rng.integers(1, 10**7, rows).astype(str)), ""),
        "destination_ubigeo": np.where(kind == "sale", "040101", ""),
    })
    path = folder / "movements.csv"
    pacsv.write_csv(table, path)
    return path


def _bare(work: Path, movements: Path) -> float:
    bare_db = work / "bare.duckdb"
    bare_db.unlink(missing_ok=True)
    con = duckdb.connect(str(bare_db))
    t0 = time.perf_counter()
    con.execute("CREATE TABLE m AS SELECT * FROM read_csv(?)", [str(movements)])
    took = time.perf_counter() - t0
    con.close()
    return took


def _traza(work: Path, movements: Path, rows: int) -> tuple[float, float]:
    """Wall time of `traza load` on a fresh database holding the registry, and its peak RSS."""
    db = work / "traza.duckdb"
    db.unlink(missing_ok=True)
    url = f"duckdb:///{db}"
    traza = [sys.executable, "-m", "traza.cli", "load", "-d", url]
    subprocess.run([*traza, str(work / "operators.csv"), str(work / "establishments.csv")], check=True, capture_output=True)
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "w = time.perf_counter() - t\n"
        "print(p.returncode, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
        "sys.stderr.write(p.stdout + p.stderr)\n"
    )
    # A wrapper process per run, so each run's peak RSS is its own.
    out = subprocess.run([sys.executable, "-c", script, *traza, str(movements)], capture_output=True, text=True)
    code, wall, rss = out.stdout.split()
    if code != "0":
        sys.exit(f"traza load failed ({code}):\n{out.stderr}")
    con = duckdb.connect(str(db), read_only=True)
    loaded = con.execute("SELECT count(*) FROM movements").fetchone()[0]  # type: ignore[index]
    con.close()
    assert loaded == rows, f"{loaded} rows loaded, expected {rows}"
    return float(wall), float(rss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs of each")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="traza-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    movements = generate(work, args.rows)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s ({movements.stat().st_size / 2**20:.0f} MiB)")

    bare = min(_bare(work, movements) for _ in range(args.repeat))
    wall, rss = min(_traza(work, movements, args.rows) for _ in range(args.repeat))
    print(f"best of {args.repeat} runs each")
    print(f"DuckDB bare read_csv into a table : {bare:6.2f} s")
    print(f"traza load (validated, committed) : {wall:6.2f} s  (whole command, interpreter start included)")
    print(f"ratio                             : {wall / bare:6.2f} x  (target <= 3)")
    print(f"peak RSS of traza load            : {rss:6.0f} MiB (target < 2048)")
    print(f"rows per second                   : {args.rows / wall:,.0f}")


if __name__ == "__main__":
    main()
