"""Crash-safety harness: kill (SIGKILL) ``traza load``, ``traza detect`` and ``traza serve``
at seeded random moments, then check the database.

Used by ``tests/reliability/test_crash.py`` (a bounded number of trials in ``make test``) and
by ``benchmarks/crash.py`` (as many trials as asked). One small simulated dataset is made once
and reused; every trial is one process started and killed.

What must hold after each kill:
- every submission (file, or API upload) is whole or absent, and each file is recorded once;
- no movement is recorded twice;
- an upload the server answered 200 is in the database (acknowledged means durable);
- alerts of the last finished detection run are intact;
- and, at the end, a rerun completes and leaves everything loaded exactly once.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from traza.store import Database, open_database

AS_OF = "2026-10-31"
CHUNK_ROWS = 700


def traza(*args: str) -> list[str]:
    """The command line, run by this interpreter (so PYTHONPATH and the venv carry over)."""
    return [sys.executable, "-m", "traza.cli", *args]


def child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "TRAZA_ENV": "development", **extra}


@dataclass
class Corpus:
    """A small simulated registry and its movements cut into files of a few hundred rows."""

    folder: Path
    registry: list[Path]
    chunks: list[Path]
    rows: dict[str, int]  # file name -> movement rows
    by_operator: dict[str, list[list[str]]] = field(default_factory=dict)  # ruc -> its rows (with header)
    header: list[str] = field(default_factory=list)


def prepare_corpus(folder: Path, seed: int = 3) -> Corpus:
    sim = folder / "sim"
    subprocess.run(traza("simulate", "--out", str(sim), "--operators", "60", "--months", "6", "--seed", str(seed),
                         "--schemes", "4", "--dirty-rate", "0"), check=True, capture_output=True, env=child_env())
    registry = [sim / f"{k}.csv" for k in ("operators", "establishments", "authorisations")]
    with (sim / "movements.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    chunks, counts = [], {}
    for i in range(0, len(rows), CHUNK_ROWS):
        path = folder / f"movements-c{i // CHUNK_ROWS:02d}.csv"
        part = rows[i:i + CHUNK_ROWS]
        _write(path, header, part)
        chunks.append(path)
        counts[path.name] = len(part)
    by_op: dict[str, list[list[str]]] = {}
    ruc_col = header.index("declarant_ruc")
    for r in rows:
        by_op.setdefault(r[ruc_col], []).append(r)
    return Corpus(folder, registry, chunks, counts, by_op, header)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


@dataclass
class Tally:
    """What the trials of one target on one backend saw."""

    target: str
    backend: str
    trials: int = 0
    killed_before_commit: int = 0  # the database shows nothing of the trial's work
    completed: int = 0  # the work committed before the kill landed
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.target:6} {self.backend:8} trials={self.trials} "
                f"absent={self.killed_before_commit} whole={self.completed}")


def kill_after(cmd: list[str], delay: float, env: dict[str, str] | None = None) -> int | None:
    """Start ``cmd``, SIGKILL its whole process group after ``delay`` seconds; its exit status
    when it finished first, else None."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or child_env(),
                            start_new_session=True)
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return None
    finally:
        if proc.stderr:
            proc.stderr.close()


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True, env=child_env())
    return time.perf_counter() - started


# --- checks --------------------------------------------------------------------------------

def file_states(db: Database) -> dict[str, tuple[int, int]]:
    """file name -> (accepted submissions, movements) for every movements file recorded."""
    subs = db.query("SELECT file_name, count(*) FROM submissions WHERE status <> 'already_loaded' "
                    "AND kind = 'movements' GROUP BY file_name")
    moves = db.query("SELECT s.file_name, count(*) FROM movements m JOIN submissions s "
                     "ON s.submission_id = m.submission_id GROUP BY s.file_name")
    out = {str(n): (int(c), 0) for n, c in subs}
    for n, c in moves:
        out[str(n)] = (out.get(str(n), (0, 0))[0], int(c))
    return out


def check_ledger(db: Database, expected: dict[str, int], must_have: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """Each known file whole or absent, recorded once; no movement twice. Returns the files
    present."""
    states = file_states(db)
    present = set()
    for name, (subs, moves) in states.items():
        if name not in expected:
            continue
        assert (subs, moves) in ((0, 0), (1, expected[name])), \
            f"{name}: {subs} submissions and {moves} movements (expected 0/0 or 1/{expected[name]})"
        if subs:
            present.add(name)
    dup = db.query("SELECT idem_key, count(*) FROM movements GROUP BY idem_key HAVING count(*) > 1 LIMIT 3")
    assert not dup, f"movements recorded twice: {dup}"
    dup = db.query("SELECT declarant_ruc, declaration_id, count(*) FROM movements WHERE declaration_id IS NOT NULL "
                   "GROUP BY declarant_ruc, declaration_id HAVING count(*) > 1 LIMIT 3")
    assert not dup, f"declarations recorded twice: {dup}"
    missing = must_have - present
    assert not missing, f"acknowledged but lost: {sorted(missing)}"
    return present


def alert_snapshot(db: Database) -> dict[str, tuple[Any, ...]]:
    """The alerts as the last finished run left them (the fields a rerun on the same data
    keeps)."""
    rows = db.query("SELECT alert_id, rule, severity, ruc, chemical, period_start, observed, retired_at IS NULL "
                    "FROM alerts")
    return {str(r[0]): tuple(r[1:]) for r in rows}


def check_alerts(db: Database, before: dict[str, tuple[Any, ...]]) -> bool:
    """Alerts intact; True when the killed run had committed."""
    after = alert_snapshot(db)
    assert after == before, f"alerts changed: {len(before)} before, {len(after)} after"
    unfinished = db.scalar("SELECT count(*) FROM alerts a JOIN detection_runs r ON r.run_id = a.run_id "
                           "WHERE r.finished_at IS NULL")
    assert unfinished == 0, "alerts point at a detection run that never finished"
    last = db.query("SELECT finished_at FROM detection_runs ORDER BY run_id DESC LIMIT 1")
    return bool(last and last[0][0] is not None)


# --- targets ---------------------------------------------------------------------------------

def load_registry(url: str, corpus: Corpus) -> None:
    subprocess.run(traza("load", *map(str, corpus.registry), "-d", url, "--rejections",
                         str(corpus.folder / "rej.csv")), check=True, capture_output=True, env=child_env())


def trial_loads(url: str, corpus: Corpus, trials: int, rng: random.Random, tally: Tally) -> None:
    """Kill ``traza load`` of one to three chunk files (some already loaded) at random."""
    rej = str(corpus.folder / f"rej-{tally.backend}.csv")
    span = timed(traza("load", str(corpus.chunks[0]), "-d", url, "--rejections", rej)) * 1.2
    with open_database(url) as db:
        check_ledger(db, corpus.rows)
    for _ in range(trials):
        files = rng.sample(corpus.chunks[1:], k=rng.randint(1, 3))
        with open_database(url) as db:
            before = check_ledger(db, corpus.rows)
        status = kill_after(traza("load", *map(str, files), "-d", url, "--rejections", rej), rng.uniform(0.2, 1.0) * span)
        with open_database(url) as db:
            after = check_ledger(db, corpus.rows)
        tally.trials += 1
        if after == before and status is None:
            tally.killed_before_commit += 1
        else:
            assert after == before | {f.name for f in files}, f"trial loaded {sorted(after - before)} of {files}"
            tally.completed += 1
    subprocess.run(traza("load", *map(str, corpus.chunks), "-d", url, "--rejections", rej), check=False,
                   capture_output=True, env=child_env())
    with open_database(url) as db:
        assert check_ledger(db, corpus.rows) == set(corpus.rows), "the rerun did not load every file"
        assert db.scalar("SELECT count(*) FROM movements") == sum(corpus.rows.values())


def trial_detects(url: str, corpus: Corpus, trials: int, rng: random.Random, tally: Tally) -> None:
    """Kill ``traza detect`` at random; the alerts of the previous run must stay as they were."""
    cmd = traza("detect", "-d", url, "--as-of", AS_OF)
    span = timed(cmd) * 1.2
    with open_database(url) as db:
        before = alert_snapshot(db)
    assert before, "the dataset raises no alert: the detect trials would prove nothing"
    for _ in range(trials):
        status = kill_after(cmd, rng.uniform(0.2, 1.0) * span)
        with open_database(url) as db:
            finished = check_alerts(db, before)
        tally.trials += 1
        if status is None and not finished:
            tally.killed_before_commit += 1
        else:
            tally.completed += 1
    done = subprocess.run(cmd, capture_output=True, env=child_env())
    assert done.returncode == 0, done.stderr
    with open_database(url) as db:
        assert check_alerts(db, before), "the rerun did not finish"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Uploads:
    """CSV uploads of a few operators' own movements, with the API key of each operator."""

    files: list[tuple[str, str, bytes]]  # (ruc, file name, content)
    keys: dict[str, str]
    rows: dict[str, int]  # stored file name -> rows


def prepare_uploads(url: str, corpus: Corpus, operators: int = 4, per_file: int = 60) -> Uploads:
    from traza.service import accounts
    from traza.service.keys import new_api_key

    rucs = sorted(corpus.by_operator, key=lambda r: -len(corpus.by_operator[r]))[:operators]
    files, rows, keys = [], {}, {}
    for ruc in rucs:
        mine = corpus.by_operator[ruc]
        for i in range(0, min(len(mine), per_file * 6), per_file):
            part = mine[i:i + per_file]
            stem = f"u{ruc[-4:]}-{i // per_file}"
            buf = _csv_bytes(corpus.header, part)
            files.append((ruc, f"{stem}.csv", buf))
            rows[f"movements-{stem}.csv"] = len(part)
    with open_database(url) as db:
        for ruc in rucs:
            k = new_api_key()
            accounts.add_key(db, "harness", ruc, k.key_id, k.secret_hash, "crash harness")
            keys[ruc] = k.token
    return Uploads(files, keys, rows)


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


class Server:
    """``traza serve`` in its own process group, on a free port."""

    def __init__(self, url: str, workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = child_env(TRAZA_FACTS_REFRESH_SECONDS="0", TRAZA_ARGON2_TIME_COST="1", TRAZA_ARGON2_MEMORY_KIB="8")
        self.proc = subprocess.Popen(traza("serve", "-d", url, "--port", str(self.port), "--workers", str(workers)),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"traza serve exited with status {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("traza serve did not answer /v1/health in time")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


def submit_all(base: str, uploads: Uploads, order: list[int], acked: set[str], stop: threading.Event,
               threads: int = 3) -> None:
    """Upload files in ``order`` from a few threads until done or the server dies; the stored
    names of those answered 200 go into ``acked``."""
    lock = threading.Lock()
    queue = list(order)

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                with lock:
                    if not queue:
                        return
                    i = queue.pop()
                ruc, name, content = uploads.files[i]
                try:
                    r = client.post("/v1/declarations/files", headers={"X-API-Key": uploads.keys[ruc]},
                                    files={"file": (name, content, "text/csv")})
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 200:
                    with lock:
                        acked.add(f"movements-{Path(name).stem}.csv")
                else:
                    raise AssertionError(f"{name}: {r.status_code} {r.text[:300]}")

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def _send(base: str, uploads: Uploads, order: list[int], acked: set[str], stop: threading.Event,
          errors: list[BaseException]) -> None:
    try:
        submit_all(base, uploads, order, acked, stop)
    except BaseException as exc:  # surfaced by the caller
        errors.append(exc)


def trial_server(url: str, uploads: Uploads, trials: int, rng: random.Random, tally: Tally,
                 workers: int = 1) -> None:
    """Kill the server while operators upload declarations; restart it for the next trial."""
    acked: set[str] = set()
    for _ in range(trials):
        server = Server(url, workers)
        try:
            server.wait_ready()
            order = rng.sample(range(len(uploads.files)), k=min(8, len(uploads.files)))
            stop = threading.Event()
            errors: list[BaseException] = []

            sender = threading.Thread(target=_send, args=(server.base, uploads, order, acked, stop, errors))
            sender.start()
            # Kill after k more uploads were answered (k may be 0), then a random moment more:
            # kills land before, during and after commits whatever the machine's speed.
            k, start, deadline = rng.randint(0, 3), len(acked), time.monotonic() + 20
            while len(acked) < start + k and sender.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.3))
        finally:
            server.kill()
        stop.set()
        sender.join()
        assert not errors, errors[0]
        with open_database(url) as db:
            present = check_ledger(db, uploads.rows, must_have=acked)
        tally.trials += 1
        tally.completed = len(acked)  # uploads answered 200 before some kill, each checked present
        tally.notes.append(f"uploads present {len(present)} of {len(uploads.files)}, acknowledged {len(acked)}")
    server = Server(url, workers)
    try:
        server.wait_ready()
        everything = set()
        submit_all(server.base, uploads, list(range(len(uploads.files))), everything, threading.Event())
        assert everything == set(uploads.rows), "the rerun did not accept every upload"
    finally:
        server.kill()
    with open_database(url) as db:
        assert check_ledger(db, uploads.rows) == set(uploads.rows)


Trial = Callable[[str, Corpus, int, random.Random, Tally], None]
