"""Sale-check speed: `traza serve` answering POST /v1/checks/sale, driven from a load
generator on loopback in the same run, with 10,000 registered operators.

    python benchmarks/check_api.py                      # PostgreSQL server mode, 2 workers
    python benchmarks/check_api.py --database duckdb    # embedded DuckDB, 1 worker

Builds a fresh database (operators, establishments, authorisations, this year's sales so
quotas and zone deliveries are in play, a few alerts), issues API keys to 200 sellers,
starts the server as a subprocess, warms it up, then measures with wrk (Debian's package)
or, without it, an async Python client. Prints throughput, p50, p99 and errors, the load
average (the development machine is shared), and checks that every answered check was
recorded: a check is answered only once its record is committed (group commit, issue 16),
so the count must match with no wait. Target (issue 16): >= 4,000 checks/s, p99 <= 20 ms.
wrk is closed-loop: with few connections each waits a commit round trip per check, so
throughput is about connections / latency; counters are many independent clients, which
``--connections 32`` models better (group commit then writes larger batches).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from stdnum.pe import ruc as stdnum_ruc

from traza.core.geo import default_geography
from traza.ingest import load_paths
from traza.service import accounts
from traza.service.keys import new_api_key
from traza.service.loader import write_v1_csv
from traza.store import open_database

PG_BASE = os.environ.get("TRAZA_TEST_POSTGRES", "postgresql://root@127.0.0.1:5432/test")
CHEMICALS = ("sulfuric_acid", "kerosene", "acetone", "hydrochloric_acid", "calcium_oxide", "toluene")
LUA = """
local lines = {}
for line in io.lines(os.getenv("TRAZA_BENCH_REQUESTS")) do lines[#lines + 1] = line end
local i = 0
request = function()
  i = i % #lines + 1
  local key, body = lines[i]:match("^(%S+)\\t(.*)$")
  return wrk.format("POST", "/v1/checks/sale", {["Content-Type"] = "application/json", ["X-API-Key"] = key}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JSON %d %d %.6f %.6f %.6f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def ruc(n: int) -> str:
    body = f"20{n:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def build(url: str, folder: Path, operators: int, sellers: int, rng: random.Random,
          ) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The registry and ledger; returns (seller RUC, API key) pairs and the buyers
    authorised for each chemical."""
    geo = default_geography()
    districts = sorted(geo.districts)
    zone = sorted(z.ubigeo for z in geo.zones)
    rucs = [ruc(i + 1) for i in range(operators)]
    year = date.today().year
    ops = [{"ruc": r, "name": f"Operador {i}", "sector": "distributor" if i < sellers else "mining",
            "registered_on": "2015-01-01", "status": "suspended" if i % 97 == 5 else "active"}
           for i, r in enumerate(rucs)]
    ests = [{"ruc": r, "establishment_code": "0000", "ubigeo": rng.choice(zone if i % 20 == 0 else districts),
             "address": "-"} for i, r in enumerate(rucs)]
    auths = []
    self_chems: dict[str, list[str]] = {}
    buyers: dict[str, list[str]] = {c: [] for c in CHEMICALS}
    for i, r in enumerate(rucs):
        self_chems[r] = rng.sample(CHEMICALS, 3)
        for chem in self_chems[r]:
            if i >= sellers:
                buyers[chem].append(r)
            acts = "import;sell;store" if i < sellers else "buy;use"
            auths.append({"ruc": r, "chemical": chem, "activities": acts,
                          "annual_quota_kg": "" if i < sellers else str(rng.choice((5000, 20000, 100000))),
                          "valid_from": f"{year - 1}-01-01", "valid_to": ""})
    moves = []
    for n in range(30_000):
        s, b = rng.randrange(sellers), rng.randrange(sellers, operators)
        moves.append({"declaration_id": f"B{n}", "declarant_ruc": rucs[s], "establishment_code": "0000",
                      "date": date.today().replace(day=1).isoformat(), "type": "sale",
                      "chemical": rng.choice(CHEMICALS), "quantity": str(rng.randint(10, 3000)), "unit": "kg",
                      "counterparty_ruc": rucs[b], "destination_ubigeo": ests[b]["ubigeo"]})
    files = [write_v1_csv(folder / f"{k}.csv", k, rows) for k, rows in
             (("operators", ops), ("establishments", ests), ("authorisations", auths), ("movements", moves))]
    keys = []
    with open_database(url) as db:
        t = time.perf_counter()
        load_paths(db, files, submitted_by="benchmark")
        print(f"loaded {operators:,} operators, {len(auths):,} authorisations, {len(moves):,} sales "
              f"in {time.perf_counter() - t:.1f} s")
        now = datetime.now(UTC).replace(tzinfo=None)
        for i in range(0, 400):
            b = rucs[rng.randrange(sellers, operators)]
            db.execute("INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, shadow, "
                       "first_detected_at, detected_at) VALUES (?, 'quota_exceeded', 1, 'high', 0.5, ?, FALSE, ?, ?)",
                       (f"bench-{i}", b, now, now))
        for i, s in enumerate(rucs[:sellers]):
            if ops[i]["status"] != "active":
                continue  # a suspended operator's key is refused (403): it does not sell
            k = new_api_key()
            accounts.add_key(db, "benchmark", s, k.key_id, k.secret_hash, "bench")
            keys.append((s, k.token))
    SELLER_CHEMS.update({s: self_chems[s] for s in rucs[:sellers]})
    return keys, buyers


SELLER_CHEMS: dict[str, list[str]] = {}


def requests_file(path: Path, keys: list[tuple[str, str]], buyers: dict[str, list[str]], operators: int,
                  rng: random.Random, n: int = 20_000) -> None:
    """Mostly plausible sales (a chemical the seller sells to a buyer authorised for it),
    with one in ten to any operator, so every kind of answer occurs."""
    rucs = [ruc(i + 1) for i in range(operators)]
    with path.open("w") as fh:
        for _ in range(n):
            seller, key = rng.choice(keys)
            chem = rng.choice(SELLER_CHEMS[seller])
            units = ("kg", "t") if chem == "calcium_oxide" else ("kg", "kg", "t", "l")
            buyer = rng.choice(rucs) if rng.random() < 0.1 else rng.choice(buyers[chem])
            body = {"seller_ruc": seller, "buyer_ruc": buyer, "chemical": chem,
                    "quantity": rng.randint(1, 4000), "unit": rng.choice(units)}
            if rng.random() < 0.7:
                body["buyer_establishment"] = "0000"
            else:
                body["destination_ubigeo"] = rng.choice(sorted(default_geography().districts))
            fh.write(f"{key}\t{json.dumps(body, separators=(',', ':'))}\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    import httpx

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not come up")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    """Stop the server as Ctrl-C would (workers finish), killing it if it hangs."""
    if proc is None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def run_wrk(port: int, script: Path, reqs: Path, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}"], env={**os.environ, "TRAZA_BENCH_REQUESTS": str(reqs)},
                         capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    n, dur_us, p50, p99, mx, errors = line.split()[1:]
    return {"requests": int(n), "seconds": int(dur_us) / 1e6, "p50_ms": float(p50), "p99_ms": float(p99),
            "max_ms": float(mx), "errors": int(errors)}


async def _python_load(port: int, reqs: Path, seconds: int, connections: int) -> dict[str, float]:
    import httpx

    lines = [x.split("\t", 1) for x in reqs.read_text().splitlines()]
    lat: list[float] = []
    errors = 0
    end = time.monotonic() + seconds

    async def worker(i: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        j = i
        while time.monotonic() < end:
            key, body = lines[j % len(lines)]
            j += connections
            t = time.perf_counter()
            r = await client.post("/v1/checks/sale", content=body,
                                  headers={"X-API-Key": key, "Content-Type": "application/json"})
            lat.append(time.perf_counter() - t)
            errors += r.status_code != 200

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(i, client) for i in range(connections)))
        took = time.perf_counter() - t0
    lat.sort()
    return {"requests": len(lat), "seconds": took, "p50_ms": lat[len(lat) // 2] * 1e3,
            "p99_ms": lat[int(len(lat) * 0.99)] * 1e3, "max_ms": lat[-1] * 1e3, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database", choices=("postgres", "duckdb"), default="postgres")
    ap.add_argument("--operators", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    args = ap.parse_args()
    rng = random.Random(5)
    tmp = Path(tempfile.mkdtemp(prefix="traza-bench-"))
    schema = f"traza_bench_{uuid.uuid4().hex[:8]}"
    if args.database == "postgres":
        import psycopg

        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in PG_BASE else "?"
        url, workers = f"{PG_BASE}{sep}options=-csearch_path%3D{schema}", args.workers
    else:
        url, workers = f"duckdb:///{tmp / 'bench.duckdb'}", 1
    proc = None
    try:
        keys, buyers = build(url, tmp, args.operators, 200, rng)
        reqs = tmp / "requests.tsv"
        requests_file(reqs, keys, buyers, args.operators, rng)
        port = free_port()
        # Rate limits are per operator and per worker: lifted here so that the generator,
        # which sends for 200 sellers at full speed, measures the check and not the throttle.
        env = {**os.environ, "TRAZA_ENV": "production", "TRAZA_SECRET_KEY": secrets.token_urlsafe(48),
               "TRAZA_DATABASE_URL": url, "TRAZA_CHECK_RATE_PER_MINUTE": "10000000", "TRAZA_CHECK_BURST": "100000"}
        proc = subprocess.Popen([sys.executable, "-m", "traza.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)], env=env)
        wait_up(port, proc)
        use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
        script = tmp / "check.lua"
        script.write_text(LUA)

        def load(seconds: int) -> dict[str, float]:
            if use_wrk:
                return run_wrk(port, script, reqs, seconds, args.connections)
            return asyncio.run(_python_load(port, reqs, seconds, args.connections))

        load(3)  # warm-up: connections, caches, the first snapshot in every worker
        with open_database(url, migrate=False) as db:
            before = int(db.scalar("SELECT count(*) FROM sale_checks"))
        load_before = os.getloadavg()
        res = load(args.seconds)
        load_after = os.getloadavg()
        # No pause: every answered check was committed before its answer was sent.
        with open_database(url, migrate=False) as db:
            recorded = int(db.scalar("SELECT count(*) FROM sale_checks")) - before
            decisions = dict(db.query("SELECT decision, count(*) FROM sale_checks GROUP BY 1 ORDER BY 1"))
        rps = res["requests"] / res["seconds"]
        print(f"database: {args.database}, workers: {workers}, operators: {args.operators:,}, "
              f"client: {'wrk' if use_wrk else 'python'} ({args.connections} connections, {args.seconds} s)")
        print(f"throughput: {rps:,.0f} checks/s   p50: {res['p50_ms']:.2f} ms   p99: {res['p99_ms']:.2f} ms   "
              f"max: {res['max_ms']:.1f} ms   errors: {res['errors']}")
        print(f"checks recorded during the run: {recorded:,} of {res['requests']:,} answered; decisions {decisions}")
        print(f"load average (1, 5, 15 min) before: {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}, "
              f"after: {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f} on {os.cpu_count()} CPUs")
        # wrk counts requests cut off at the end; allow for those still in flight then.
        if recorded < res["requests"] - args.connections:
            print(f"LOST: {res['requests'] - recorded} answered checks are not recorded")
        ok = rps >= 4000 and res["p99_ms"] <= 20 and res["errors"] == 0 and recorded >= res["requests"] - args.connections
        print("target (>= 4,000/s, p99 <= 20 ms, no errors, none lost):", "met" if ok else "NOT met")
    finally:
        stop(proc)
        if args.database == "postgres":
            import psycopg

            with psycopg.connect(PG_BASE, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
