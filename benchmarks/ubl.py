"""UBL ingestion speed: N remission guides (GRE 2022 DespatchAdvice, one chemical line each)
loaded by `traza load` into a fresh DuckDB file that already holds the registry.

    python benchmarks/ubl.py --docs 100000            # a folder of XML files
    python benchmarks/ubl.py --docs 100000 --zip      # the same documents in one zip

Prints documents per second (whole command, interpreter start included) and the peak
resident memory of the `traza load` process. Target (issue 7): at least 1,000 documents
per second on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from stdnum.pe import ruc as stdnum_ruc

from traza.sim.ubl import Shipment, guide_xml

CHEMICALS = ("sulfuric_acid", "kerosene", "acetone", "hydrochloric_acid", "calcium_oxide", "toluene")
UNITS = ("KGM", "LTR", "LTR", "KGM", "TNE", "GLL")
UBIGEOS = ("150101", "070101", "040101", "120101", "100601", "050401")


def _ruc(n: int) -> str:
    body = f"20{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def generate(folder: Path, docs: int, operators: int = 2000, seed: int = 7, as_zip: bool = False) -> Path:
    rng = np.random.default_rng(seed)
    rucs = [_ruc(i + 1) for i in range(operators)]
    pacsv.write_csv(pa.table({"ruc": rucs, "name": [f"Operador {i}" for i in range(operators)],
                              "sector": ["distributor"] * operators, "registered_on": ["2015-01-01"] * operators,
                              "status": ["active"] * operators}), folder / "operators.csv")
    pacsv.write_csv(pa.table({"ruc": rucs, "establishment_code": ["0000"] * operators,
                              "ubigeo": [UBIGEOS[i % len(UBIGEOS)] for i in range(operators)],
                              "address": ["Av. Principal 100"] * operators}), folder / "establishments.csv")
    seller = rng.integers(0, operators, docs)
    buyer = (seller + 1 + rng.integers(0, operators - 1, docs)) % operators
    chem = rng.integers(0, len(CHEMICALS), docs)
    day = np.datetime64("2024-01-01") + rng.integers(0, 600, docs).astype("timedelta64[D]")
    qty = np.round(rng.lognormal(6, 1, docs), 1)
    styles = rng.integers(0, 3, docs)
    out = folder / ("guias.zip" if as_zip else "guias")
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) if as_zip else None
    if archive is None:
        out.mkdir()
    for i in range(docs):
        s = Shipment(
            guide=f"T001-{i + 1:08d}", invoice=None, day=str(day[i]), seller_ruc=rucs[seller[i]],
            seller_name=f"Operador {seller[i]}", seller_est="0000", origin=UBIGEOS[seller[i] % len(UBIGEOS)],
            buyer_ruc=rucs[buyer[i]], buyer_name=f"Operador {buyer[i]}", buyer_est="0000",
            destination=UBIGEOS[buyer[i] % len(UBIGEOS)], motive="01", chemical=CHEMICALS[chem[i]],
            quantity=repr(float(qty[i])), unit=UNITS[chem[i]], style=int(styles[i]) if styles[i] != 1 else 0,
        )
        name = f"{s.seller_ruc}-09-{s.guide}.xml"
        if archive is not None:
            archive.writestr(name, guide_xml(s))
        else:
            (out / name).write_text(guide_xml(s), encoding="utf-8")
    if archive is not None:
        archive.close()
    return out


def _load(work: Path, target: Path, docs: int) -> tuple[float, float, float]:
    db = work / "traza.duckdb"
    db.unlink(missing_ok=True)
    traza = [sys.executable, "-m", "traza.cli", "load", "-d", f"duckdb:///{db}"]
    subprocess.run([*traza, str(work / "operators.csv"), str(work / "establishments.csv")], check=True,
                   capture_output=True)
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "w = time.perf_counter() - t\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(p.returncode, w, r.ru_maxrss / 1024, r.ru_utime + r.ru_stime)\n"
        "sys.stderr.write(p.stdout + p.stderr)\n"
    )
    # A wrapper process per run, so each run's peak RSS is its own.
    out = subprocess.run([sys.executable, "-c", script, *traza, str(target)], capture_output=True, text=True)
    code, wall, rss, cpu = out.stdout.split()
    if code != "0":
        sys.exit(f"traza load failed ({code}):\n{out.stderr[-4000:]}")
    con = duckdb.connect(str(db), read_only=True)
    loaded = con.execute("SELECT count(*) FROM movements").fetchone()[0]  # type: ignore[index]
    expected = con.execute("SELECT count(*) FROM expected_movements").fetchone()[0]  # type: ignore[index]
    con.close()
    assert loaded == docs == expected, f"{loaded} movements and {expected} expected for {docs} guides"
    return float(wall), float(rss), float(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--zip", action="store_true", help="pack the guides into one zip archive")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="traza-bench-ubl-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    target = generate(work, args.docs, as_zip=args.zip)
    print(f"generated {args.docs:,} remission guides in {time.perf_counter() - t0:.1f} s ({target.name})")
    wall, rss, cpu = min(_load(work, target, args.docs) for _ in range(args.repeat))
    load = os.getloadavg()[0]
    print(f"traza load (parsed, classified, validated, committed): {wall:7.2f} s  (whole command)")
    print(f"documents per second                                 : {args.docs / wall:9,.0f}  (target >= 1,000)")
    print(f"CPU time of traza load (user + system)               : {cpu:7.2f} s  ({args.docs / cpu:,.0f} documents "
          f"per CPU-second; load average {load:.1f} on {os.cpu_count()} cores)")
    print(f"peak RSS of traza load                               : {rss:7.0f} MiB")


if __name__ == "__main__":
    main()
