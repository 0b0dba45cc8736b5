"""Soak: `traza serve` on PostgreSQL with several uvicorn workers under a mixed load on
loopback at a target rate, for a long time; errors, latency and worker memory over time.

    python benchmarks/soak.py                          # 30 minutes at 1,000 requests/s
    python benchmarks/soak.py --duration 180 --rate 1000

The load is paced: --connections connections each send at rate/connections (a connection
waiting on a late answer misses its slots, counted): mostly sale checks, some alert reads by an analyst, and a
few declaration batches (new movements each, so the ledger grows). Every --every seconds it
prints the window's requests, errors, p50 and p99, and the resident memory (RSS) of every
worker; at the end the RSS slope of each worker (least squares after the first window), in
MiB per hour. Errors are transport failures, 5xx and any unexpected status.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_api import PG_BASE, SELLER_CHEMS, build, free_port, requests_file, wait_up  # noqa: E402

from traza.service import accounts  # noqa: E402
from traza.store import open_database  # noqa: E402


@dataclass
class Window:
    started: float
    lat: list[float] = field(default_factory=list)
    errors: int = 0
    dropped: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    why: dict[str, int] = field(default_factory=dict)  # what the errors were


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def workers_of(pid: int) -> list[int]:
    """The server process and its children (uvicorn's worker processes)."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    kids = [int(x) for x in out.split()]
    return kids or [pid]


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    den = sum((t - mx) ** 2 for t, _ in points)
    return 0.0 if den == 0 else sum((t - mx) * (v - my) for t, v in points) / den * 3600


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))] * 1e3


async def drive(args: argparse.Namespace, port: int, checks: list[tuple[str, str]], sellers: list[tuple[str, str]],
                token: str, server_pid: int) -> dict[str, object]:
    rng = random.Random(9)
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    windows: list[Window] = []
    rss: dict[int, list[tuple[float, float]]] = {}
    in_flight = 0
    batch_no = 0
    totals = {"requests": 0, "errors": 0, "dropped": 0}
    t0 = time.monotonic()
    win = Window(t0)
    windows.append(win)

    async def one(client: httpx.AsyncClient, kind: str, w: Window) -> None:
        nonlocal in_flight, batch_no
        in_flight += 1
        started = time.perf_counter()
        try:
            if kind == "check":
                key, body = rng.choice(checks)
                r = await client.post("/v1/checks/sale", content=body,
                                      headers={"X-API-Key": key, "Content-Type": "application/json"})
                ok = r.status_code == 200
            elif kind == "alerts":
                r = await client.get("/v1/alerts", params={"limit": 20}, headers={"Authorization": f"Bearer {token}"})
                ok = r.status_code == 200
            else:
                seller, key = rng.choice(sellers)
                batch_no += 1
                movements = [{"declaration_id": f"SOAK-{batch_no}-{i}", "establishment_code": "0000",
                              "date": time.strftime("%Y-%m-%d"), "type": "stock_count",
                              "chemical": SELLER_CHEMS[seller][0], "quantity": rng.randint(1, 500), "unit": "kg"}
                             for i in range(rng.randint(1, 5))]
                r = await client.post("/v1/declarations/batch", json={"movements": movements}, headers={"X-API-Key": key})
                ok = r.status_code == 200
        except httpx.HTTPError as exc:
            ok, r = False, None
            w.why[f"{kind}: {type(exc).__name__}"] = w.why.get(f"{kind}: {type(exc).__name__}", 0) + 1
        finally:
            in_flight -= 1
        w.lat.append(time.perf_counter() - started)
        w.by_kind[kind] = w.by_kind.get(kind, 0) + 1
        if not ok:
            w.errors += 1
            if r is not None:
                what = f"{kind}: {r.status_code} {r.text[:120]}"
                w.why[what] = w.why.get(what, 0) + 1

    kinds = ["check", "alerts", "submit"]
    weights = [1 - args.alerts - args.submits, args.alerts, args.submits]
    # Paced connections: each of --connections sends at rate/connections; a connection whose
    # answers come late falls behind, and the report shows the rate achieved.
    per = args.connections / args.rate
    end = t0 + args.duration

    async def connection(i: int, client: httpx.AsyncClient) -> None:
        next_at = t0 + per * i / args.connections
        while next_at < end:
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                windows[-1].dropped += int(-delay / per)  # slots missed while waiting on answers
                next_at = time.monotonic()
            next_at += per
            await one(client, rng.choices(kinds, weights)[0], windows[-1])

    async def reporter() -> None:
        while time.monotonic() < end:
            await asyncio.sleep(args.every)
            now = time.monotonic()
            report(windows[-1], now, in_flight, server_pid, rss, t0)
            windows.append(Window(now))

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:
        await asyncio.gather(reporter(), *(connection(i, client) for i in range(args.connections)))
    why: dict[str, int] = {}
    for w in windows:
        for k, v in w.why.items():
            why[k] = why.get(k, 0) + v
    for k, v in sorted(why.items(), key=lambda kv: -kv[1]):
        print(f"  error x{v}: {k}")
    for w in windows:
        totals["requests"] += len(w.lat)
        totals["errors"] += w.errors
        totals["dropped"] += w.dropped
    return {"totals": totals, "rss": rss, "seconds": time.monotonic() - t0,
            "p50": pct([x for w in windows for x in w.lat], 0.5), "p99": pct([x for w in windows for x in w.lat], 0.99)}


def report(w: Window, now: float, in_flight: int, server_pid: int, rss: dict[int, list[tuple[float, float]]],
           t0: float) -> None:
    took = max(now - w.started, 1e-9)
    mems = []
    for pid in workers_of(server_pid):
        m = rss_mib(pid)
        if m is not None:
            rss.setdefault(pid, []).append((now - t0, m))
            mems.append(f"{m:.0f}")
    kinds = " ".join(f"{k}={v}" for k, v in sorted(w.by_kind.items()))
    print(f"t={now - t0:6.0f}s  {len(w.lat) / took:7.0f} req/s  errors {w.errors}  dropped {w.dropped}  "
          f"p50 {pct(w.lat, 0.5):6.1f} ms  p99 {pct(w.lat, 0.99):7.1f} ms  in flight {in_flight}  "
          f"RSS MiB [{', '.join(mems)}]  ({kinds})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=1800, help="seconds (default 30 minutes)")
    ap.add_argument("--rate", type=float, default=1000, help="requests per second to start")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--operators", type=int, default=2000)
    ap.add_argument("--alerts", type=float, default=0.10, help="share of alert reads")
    ap.add_argument("--submits", type=float, default=0.01, help="share of declaration batches")
    ap.add_argument("--every", type=float, default=15, help="seconds per report line")
    ap.add_argument("--connections", type=int, default=64)
    args = ap.parse_args()
    rng = random.Random(5)
    tmp = Path(tempfile.mkdtemp(prefix="traza-soak-"))
    schema = f"traza_soak_{uuid.uuid4().hex[:8]}"
    import psycopg

    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{PG_BASE}{'&' if '?' in PG_BASE else '?'}options=-csearch_path%3D{schema}"
    proc = None
    try:
        keys, buyers = build(url, tmp, args.operators, 200, rng)
        reqs = tmp / "requests.tsv"
        requests_file(reqs, keys, buyers, args.operators, rng)
        checks = [tuple(x.split("\t", 1)) for x in reqs.read_text().splitlines()]
        from traza.api.security import Passwords

        password = secrets.token_urlsafe(16)
        with open_database(url) as db:
            accounts.save_user(db, "soak", "soak", "Soak", "analyst", Passwords(1, 8).hash(password), True,
                               "user.create", ["role"])
        port = free_port()
        env = {**os.environ, "TRAZA_ENV": "production", "TRAZA_SECRET_KEY": secrets.token_urlsafe(48),
               "TRAZA_DATABASE_URL": url, "TRAZA_CHECK_RATE_PER_MINUTE": "10000000", "TRAZA_CHECK_BURST": "100000",
               "TRAZA_ARGON2_TIME_COST": "1", "TRAZA_ARGON2_MEMORY_KIB": "8"}
        proc = subprocess.Popen([sys.executable, "-m", "traza.cli", "serve", "--port", str(port),
                                 "--workers", str(args.workers)], env=env)
        wait_up(port, proc)
        token = httpx.post(f"http://127.0.0.1:{port}/v1/auth/login",
                           json={"username": "soak", "password": password}).json()["access_token"]
        print(f"soak: PostgreSQL, {args.workers} workers, target {args.rate:.0f} req/s for {args.duration:.0f} s "
              f"(checks {1 - args.alerts - args.submits:.0%}, alert reads {args.alerts:.0%}, "
              f"declaration batches {args.submits:.0%})", flush=True)
        res = asyncio.run(drive(args, port, checks, keys, token, proc.pid))  # type: ignore[arg-type]
        totals = res["totals"]
        assert isinstance(totals, dict)
        seconds = float(res["seconds"])  # type: ignore[arg-type]
        print(f"served {totals['requests']:,} requests in {seconds:.0f} s ({totals['requests'] / seconds:,.0f}/s), "
              f"errors {totals['errors']}, slots missed (answers late) {totals['dropped']}, "
              f"p50 {res['p50']:.1f} ms, p99 {res['p99']:.1f} ms")
        rss = res["rss"]
        assert isinstance(rss, dict)
        for pid, points in sorted(rss.items()):
            steady = points[1:] if len(points) > 2 else points
            print(f"worker {pid}: RSS {points[0][1]:.0f} -> {points[-1][1]:.0f} MiB, slope "
                  f"{slope_per_hour(steady):+.1f} MiB/hour")
        with open_database(url, migrate=False) as db:
            print(f"ledger: {db.scalar('SELECT count(*) FROM movements'):,} movements, "
                  f"{db.scalar('SELECT count(*) FROM sale_checks'):,} sale checks recorded")
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
