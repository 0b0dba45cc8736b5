"""Soak: `traza serve` on PostgreSQL with several uvicorn workers under a mixed load on
loopback at a target rate, for a long time; errors, latency and worker memory over time.

    python benchmarks/soak.py                          # 30 minutes at 1,000 requests/s
    python benchmarks/soak.py --duration 180 --rate 1000
    python benchmarks/soak.py --client python          # without wrk (it cannot offer 1,000/s)

The load is mostly sale checks (operators' API keys), some alert reads (an analyst's bearer
token) and a few declaration batches (fresh declaration ids each, so the ledger grows and no
batch repeats). It is driven by wrk (Debian package `wrk`: apt-get install wrk) with a Lua
script, in consecutive --every-second runs back to back: each window prints its rate, errors
(non-2xx answers and socket errors, with the status and body of the first few), p50 and p99,
the resident memory (RSS) of every worker sampled between windows, and the load average; at
the end the RSS slope of each worker (least squares after the first window) in MiB per hour,
and what the server logged for any exception.

wrk paces nothing by itself: the script's delay() hook hands each thread's requests out at
rate/threads per second over --connections connections (a slot that comes while every
connection waits on an answer is sent late; more than 100 ms behind, it is counted as missed
rather than sent in a burst). wrk times a request from when it is written, so a late slot's
wait is in "missed", not in p99. The rate printed is the rate achieved.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_api import PG_BASE, SELLER_CHEMS, build, free_port, requests_file, stop, wait_up  # noqa: E402

from traza.service import accounts  # noqa: E402
from traza.store import open_database  # noqa: E402

LUA = r"""
-- One wrk window of the soak. Env: SOAK_MIX (kind, path, header, value, body per line:
-- checks and alert reads, reused), SOAK_DECL (declaration batches, each used once),
-- SOAK_DECL_START (first unused batch), SOAK_RATE (requests/s of this thread),
-- SOAK_WEIGHTS ("check alerts submit" shares), SOAK_THREADS.
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } soak_tv; int gettimeofday(soak_tv *tv, void *tz); ]]
local tv = ffi.new("soak_tv")
local function now() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6 end

local threads = {}
local n = 0
function setup(thread) thread:set("tid", n); n = n + 1; table.insert(threads, thread) end

local function split(line)
  local f = {}
  for x in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = x end
  return f
end

function init(args)
  local function load(path)
    local out = {}
    for line in io.lines(path) do out[#out + 1] = split(line) end
    return out
  end
  checks, alerts = {}, {}
  for _, f in ipairs(load(os.getenv("SOAK_MIX"))) do
    if f[1] == "check" then checks[#checks + 1] = f else alerts[#alerts + 1] = f end
  end
  decl = load(os.getenv("SOAK_DECL"))
  step = tonumber(os.getenv("SOAK_THREADS"))
  d_next = tonumber(os.getenv("SOAK_DECL_START")) + tid  -- threads take every step-th batch
  interval = 1 / tonumber(os.getenv("SOAK_RATE"))
  local w = {}
  for x in os.getenv("SOAK_WEIGHTS"):gmatch("%S+") do w[#w + 1] = tonumber(x) end
  w_check, w_alerts = w[1], w[1] + w[2]
  math.randomseed(tid * 7919 + math.floor(now() * 1000) % 100000)
  ci, ai, d_used, missed, exhausted = tid * 997, 0, 0, 0, 0
  kinds, statuses, bodies, n_bodies = {}, {}, {}, 0
end

local function fmt(f) return wrk.format(f[2], f[3], {["Content-Type"] = "application/json", [f[4]] = f[5]},
                                       f[6] ~= "" and f[6] or nil) end

function request()
  local r, f = math.random()
  if r < w_check then
    ci = ci % #checks + 1; f = checks[ci]
  elseif r < w_alerts then
    ai = ai % #alerts + 1; f = alerts[ai]
  elseif d_next + 1 <= #decl then
    f = decl[d_next + 1]; d_next = d_next + step; d_used = d_used + 1
  else
    exhausted = exhausted + 1; ci = ci % #checks + 1; f = checks[ci]  -- never resend a batch
  end
  kinds[f[1]] = (kinds[f[1]] or 0) + 1
  return fmt(f)
end

function delay()
  local t = now()
  if next_at == nil then next_at = t end
  next_at = next_at + interval
  if next_at < t - 0.1 then
    missed = missed + math.floor((t - next_at) / interval); next_at = t
  end
  local d = (next_at - t) * 1000
  if d < 1 then return 0 end
  return math.floor(d)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and n_bodies < 5 then
    n_bodies = n_bodies + 1; bodies[n_bodies] = status .. " " .. (body or ""):sub(1, 200):gsub("%s", " ")
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SOAK %d %d %.3f %.3f %.3f %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
  local used, sums = 0, {}
  for _, t in ipairs(threads) do
    used = math.max(used, t:get("d_used") or 0)
    sums["missed"] = (sums["missed"] or 0) + (t:get("missed") or 0)
    sums["exhausted"] = (sums["exhausted"] or 0) + (t:get("exhausted") or 0)
    for k, v in pairs(t:get("kinds") or {}) do sums["kind:" .. k] = (sums["kind:" .. k] or 0) + v end
    for k, v in pairs(t:get("statuses") or {}) do sums["status:" .. k] = (sums["status:" .. k] or 0) + v end
    for _, b in ipairs(t:get("bodies") or {}) do io.write("SOAKBODY " .. b .. "\n") end
  end
  io.write(string.format("SOAKCOUNT decl_used %d\n", used))
  for k, v in pairs(sums) do io.write(string.format("SOAKCOUNT %s %d\n", k, v)) end
end
"""


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
    kids = []
    for x in out.split():
        try:
            if b"resource_tracker" not in Path(f"/proc/{x}/cmdline").read_bytes():  # not a worker
                kids.append(int(x))
        except OSError:
            pass
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


def write_load(tmp: Path, checks: list[tuple[str, str]], sellers: list[tuple[str, str]], token: str,
               batches: int) -> tuple[Path, Path]:
    """wrk's request files: the mix of checks and alert reads it cycles through, and as many
    declaration batches as the run can use, each with its own declaration ids."""
    mix, decl = tmp / "mix.tsv", tmp / "declarations.tsv"
    with mix.open("w") as fh:
        for key, body in checks:
            fh.write(f"check\tPOST\t/v1/checks/sale\tX-API-Key\t{key}\t{body}\n")
        fh.write(f"alerts\tGET\t/v1/alerts?limit=20\tAuthorization\tBearer {token}\t\n")
    with decl.open("w") as fh:
        for b in range(batches):
            key, body = batch(b, sellers)
            fh.write(f"submit\tPOST\t/v1/declarations/batch\tX-API-Key\t{key}\t{json.dumps(body, separators=(',', ':'))}\n")
    return mix, decl


def batch(n: int, sellers: list[tuple[str, str]]) -> tuple[str, dict[str, object]]:
    """(API key, body) of declaration batch number n: 1 to 5 stock counts with ids of its own."""
    seller, key = sellers[n % len(sellers)]
    movements = [{"declaration_id": f"SOAK-{n}-{i}", "establishment_code": "0000", "date": time.strftime("%Y-%m-%d"),
                  "type": "stock_count", "chemical": SELLER_CHEMS[seller][0], "quantity": 1 + (n * 7 + i) % 500,
                  "unit": "kg"} for i in range(1 + n % 5)]
    return key, {"movements": movements}


def run_window(args: argparse.Namespace, port: int, script: Path, mix: Path, decl: Path, start: int,
               seconds: float) -> dict[str, object]:
    threads = max(1, args.threads)
    weights = f"{1 - args.alerts - args.submits} {args.alerts} {args.submits}"
    env = {**os.environ, "SOAK_MIX": str(mix), "SOAK_DECL": str(decl), "SOAK_DECL_START": str(start),
           "SOAK_RATE": str(args.rate / threads), "SOAK_WEIGHTS": weights, "SOAK_THREADS": str(threads)}
    proc = subprocess.run(["wrk", f"-t{threads}", f"-c{max(args.connections, threads)}", f"-d{max(1, round(seconds))}s",
                           "--timeout", "30s", "-s", str(script), f"http://127.0.0.1:{port}"],
                          env=env, capture_output=True, text=True)
    out: dict[str, object] = {"bodies": [], "counts": {}}
    for line in proc.stdout.splitlines():
        if line.startswith("SOAK "):
            n, dur, p50, p99, mx, *errs = line.split()[1:]
            out.update(requests=int(n), seconds=int(dur) / 1e6, p50=float(p50), p99=float(p99), max=float(mx),
                       socket=dict(zip(("connect", "read", "write", "timeout"), map(int, errs[:4]), strict=True)),
                       non2xx=int(errs[4]))
        elif line.startswith("SOAKBODY "):
            out["bodies"].append(line[9:])  # type: ignore[attr-defined]
        elif line.startswith("SOAKCOUNT "):
            k, v = line.split()[1:3]
            out["counts"][k] = int(v)  # type: ignore[index]
    if "requests" not in out:
        raise SystemExit(f"wrk failed (status {proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    return out


def drive_wrk(args: argparse.Namespace, port: int, mix: Path, decl: Path, tmp: Path, server_pid: int,
              ) -> dict[str, object]:
    script = tmp / "soak.lua"
    script.write_text(LUA)
    rss: dict[int, list[tuple[float, float]]] = {}
    totals = {"requests": 0, "errors": 0, "dropped": 0}
    why: dict[str, int] = {}
    p50s: list[float] = []
    p99s: list[float] = []
    start, t0 = 0, time.monotonic()
    while (left := t0 + args.duration - time.monotonic()) > 0.5:
        w = run_window(args, port, script, mix, decl, start, min(args.every, left))
        counts = w["counts"]
        socket_errs = w["socket"]
        assert isinstance(counts, dict) and isinstance(socket_errs, dict)
        start += max(1, args.threads) * counts.get("decl_used", 0)
        errors = int(w["non2xx"]) + sum(socket_errs.values())  # type: ignore[call-overload]
        for k, v in socket_errs.items():
            if v:
                why[f"socket {k}"] = why.get(f"socket {k}", 0) + v
        for k, v in counts.items():
            if k.startswith("status:") and not k[7:].startswith("2"):
                why[f"status {k[7:]}"] = why.get(f"status {k[7:]}", 0) + v
        for b in w["bodies"]:  # type: ignore[attr-defined]
            why[f"  e.g. {b}"] = why.get(f"  e.g. {b}", 0) + 1
        now = time.monotonic()
        mems = sample_rss(server_pid, rss, now - t0)
        n, took = int(w["requests"]), float(w["seconds"])  # type: ignore[call-overload, arg-type]
        totals["requests"] += n
        totals["errors"] += errors
        totals["dropped"] += counts.get("missed", 0)
        p50s.append(float(w["p50"]))  # type: ignore[arg-type]
        p99s.append(float(w["p99"]))  # type: ignore[arg-type]
        kinds = " ".join(f"{k[5:]}={v}" for k, v in sorted(counts.items()) if k.startswith("kind:"))
        print(f"t={now - t0:6.0f}s  {n / max(took, 1e-9):6.0f} req/s  errors {errors}  missed {counts.get('missed', 0)}  "
              f"p50 {w['p50']:6.1f} ms  p99 {w['p99']:7.1f} ms  max {w['max']:7.1f} ms  "
              f"RSS MiB [{', '.join(mems)}]  load {os.getloadavg()[0]:.1f}  ({kinds})", flush=True)
        if counts.get("exhausted"):
            print(f"  {counts['exhausted']} batches not sent: the declarations file ran out (checks sent instead)")
    for k, v in why.items():
        print(f"  error x{v}: {k}" if not k.startswith("  ") else f"  {k} (x{v})")
    return {"totals": totals, "rss": rss, "seconds": time.monotonic() - t0,
            "p50": sorted(p50s)[len(p50s) // 2] if p50s else float("nan"), "p99": max(p99s, default=float("nan")),
            "windows": True}


def sample_rss(server_pid: int, rss: dict[int, list[tuple[float, float]]], at: float) -> list[str]:
    """Each worker's RSS now, kept in ``rss`` at second ``at``; the figures as printed."""
    mems = []
    for pid in workers_of(server_pid):
        m = rss_mib(pid)
        if m is not None:
            rss.setdefault(pid, []).append((at, m))
            mems.append(f"{m:.0f}")
    return mems


def report(w: Window, now: float, in_flight: int, server_pid: int, rss: dict[int, list[tuple[float, float]]],
           t0: float) -> None:
    took = max(now - w.started, 1e-9)
    mems = sample_rss(server_pid, rss, now - t0)
    kinds = " ".join(f"{k}={v}" for k, v in sorted(w.by_kind.items()))
    print(f"t={now - t0:6.0f}s  {len(w.lat) / took:7.0f} req/s  errors {w.errors}  dropped {w.dropped}  "
          f"p50 {pct(w.lat, 0.5):6.1f} ms  p99 {pct(w.lat, 0.99):7.1f} ms  in flight {in_flight}  "
          f"RSS MiB [{', '.join(mems)}]  ({kinds})", flush=True)


EXC = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b")


def server_exceptions(log: Path) -> dict[str, int]:
    """The last line of every traceback the server wrote: what a 5xx or a dropped connection was."""
    seen: dict[str, int] = {}
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    for i, line in enumerate(lines):
        last = i + 1 == len(lines) or not lines[i + 1].startswith(" ")
        if (EXC.match(line) and last) or line.startswith(("ERROR:", "WARNING:")):
            seen[line[:200]] = seen.get(line[:200], 0) + 1
    return seen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=1800, help="seconds (default 30 minutes)")
    ap.add_argument("--rate", type=float, default=1000, help="requests per second offered")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--operators", type=int, default=2000)
    ap.add_argument("--alerts", type=float, default=0.10, help="share of alert reads")
    # A declaration batch goes through the whole loader under one lock (docs/reliability.md):
    # about 1 a second at 1,000 requests/s is what it absorbs; --submits 0.01 shows the queue.
    ap.add_argument("--submits", type=float, default=0.001, help="share of declaration batches")
    ap.add_argument("--every", type=float, default=10, help="seconds per window (one wrk run, one report line)")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    args = ap.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    rng = random.Random(5)
    tmp = Path(tempfile.mkdtemp(prefix="traza-soak-"))
    schema = f"traza_soak_{uuid.uuid4().hex[:8]}"
    import psycopg

    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{PG_BASE}{'&' if '?' in PG_BASE else '?'}options=-csearch_path%3D{schema}"
    proc = None
    log = tmp / "server.log"
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
        with log.open("wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "traza.cli", "serve", "--port", str(port),
                                     "--workers", str(args.workers)], env=env, stderr=err)
        wait_up(port, proc)
        token = httpx.post(f"http://127.0.0.1:{port}/v1/auth/login",
                           json={"username": "soak", "password": password}).json()["access_token"]
        print(f"soak: PostgreSQL, {args.workers} workers, offered {args.rate:.0f} req/s for {args.duration:.0f} s "
              f"by {'wrk' if use_wrk else 'python'} over {args.connections} connections "
              f"(checks {1 - args.alerts - args.submits:.0%}, alert reads {args.alerts:.0%}, "
              f"declaration batches {args.submits:.1%})", flush=True)
        if use_wrk:
            windows = int(args.duration / args.every) + 2
            batches = int(args.rate * args.submits * args.duration * 1.5) + args.threads * windows + 100
            mix, decl = write_load(tmp, checks, keys, token, batches)  # type: ignore[arg-type]
            res = drive_wrk(args, port, mix, decl, tmp, proc.pid)
        else:
            res = asyncio.run(drive(args, port, checks, keys, token, proc.pid))  # type: ignore[arg-type]
        totals = res["totals"]
        assert isinstance(totals, dict)
        seconds = float(res["seconds"])  # type: ignore[arg-type]
        lat = ("median window p50 {:.1f} ms, worst window p99 {:.1f} ms" if use_wrk else "p50 {:.1f} ms, p99 {:.1f} ms")
        print(f"served {totals['requests']:,} requests in {seconds:.0f} s ({totals['requests'] / seconds:,.0f}/s), "
              f"errors {totals['errors']}, slots missed (every connection busy) {totals['dropped']}, "
              + lat.format(res["p50"], res["p99"]))
        rss = res["rss"]
        assert isinstance(rss, dict)
        for pid, points in sorted(rss.items()):
            steady = points[1:] if len(points) > 2 else points
            print(f"worker {pid}: RSS {points[0][1]:.0f} -> {points[-1][1]:.0f} MiB, slope "
                  f"{slope_per_hour(steady):+.1f} MiB/hour")
        with open_database(url, migrate=False) as db:
            print(f"ledger: {db.scalar('SELECT count(*) FROM movements'):,} movements, "
                  f"{db.scalar('SELECT count(*) FROM sale_checks'):,} sale checks recorded")
            subs = db.query("SELECT count(*), sum(rows_total), sum(rows_accepted), sum(rows_duplicate), "
                            "sum(rows_rejected) FROM submissions WHERE submitted_by LIKE 'operator:%'")[0]
            print(f"declaration batches stored: {subs[0]:,}, rows {subs[1] or 0:,}: accepted {subs[2] or 0:,}, "
                  f"duplicate {subs[3] or 0:,}, refused {subs[4] or 0:,}")
            for reason, n in db.query("SELECT reason, count(*) FROM rejections GROUP BY 1 ORDER BY 2 DESC LIMIT 3"):
                print(f"  refused x{n}: {reason}")
    finally:
        stop(proc)
        for line, n in sorted(server_exceptions(log).items(), key=lambda kv: -kv[1])[:10]:
            print(f"server log x{n}: {line}")
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
