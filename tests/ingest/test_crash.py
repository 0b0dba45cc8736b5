"""A load killed with SIGKILL at any point leaves the whole submission or none of it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import BUYER, SELLER, Dataset, movement, write_csv
from traza.ingest import load_paths
from traza.store import open_database

CHILD = """
import sys
from traza.ingest import load_paths
from traza.store import open_database
db = open_database(sys.argv[1])
def progress(what, step, steps):
    print(what, flush=True)
load_paths(db, sys.argv[2:], progress=progress)
print("done", flush=True)
"""
ROWS = 150_000


def _big_movements(folder: Path) -> Path:
    rows = [movement(f"K-{i}", SELLER if i % 2 else BUYER, "consumption", 1 + i % 50, "kg", date="2025-03-01")
            for i in range(ROWS)]
    return write_csv(folder / "movements-big.csv", rows, "movements")


@pytest.mark.slow
def test_sigkill_during_load_leaves_all_or_nothing(db_url: str, data: Dataset, tmp_path: Path) -> None:
    with open_database(db_url) as db:
        load_paths(db, data.write("operators", "establishments"))
    big = _big_movements(tmp_path)
    rng = random.Random(7)
    outcomes = []
    for trial in range(4):
        child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, str(big)], stdout=subprocess.PIPE,
                                 text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("validating"):
                break
        time.sleep(rng.uniform(0.0, 0.4) if trial else 0.0)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        with open_database(db_url) as db:
            n = db.scalar("SELECT count(*) FROM movements")
            subs = db.scalar("SELECT count(*) FROM submissions WHERE file_name = 'movements-big.csv'")
        assert (n, subs) in ((0, 0), (ROWS, 1)), f"trial {trial}: {n} movements, {subs} submissions"
        outcomes.append(n)
        if n:
            break
    assert 0 in outcomes, "no kill landed before the commit: the test proved nothing"
    with open_database(db_url) as db:
        report = load_paths(db, [big])  # a rerun completes and counts each row once
        assert db.scalar("SELECT count(*) FROM movements") == ROWS
        assert report.rows_accepted + report.rows_duplicate == ROWS
