"""Two writers at once: on PostgreSQL two loads together give what one after the other gives;
on DuckDB the second writer is told the database is busy (exit 2) and the file stays sound."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import fresh_pg_schema, pg_url
from tests.reliability import harness
from tests.reliability.harness import Corpus
from traza.store import open_database

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return harness.prepare_corpus(tmp_path_factory.mktemp("conc"))


def _ledger(url: str) -> tuple[int, set[str], list[tuple[str, int]]]:
    with open_database(url) as db:
        keys = {str(r[0]) for r in db.query("SELECT idem_key FROM movements")}
        n = int(db.scalar("SELECT count(*) FROM movements"))
        subs = sorted((str(r[0]), int(r[1])) for r in db.query(
            "SELECT file_name, rows_accepted + rows_duplicate FROM submissions WHERE kind = 'movements'"))
    return n, keys, subs


def test_two_loads_at_once_on_postgres_equal_one_after_the_other(corpus: Corpus, tmp_path: Path) -> None:
    a = [str(p) for p in corpus.chunks[0:4]]
    b = [str(p) for p in corpus.chunks[2:6]]  # two files in common
    results = []
    for together in (False, True):
        with fresh_pg_schema() as schema:
            url = pg_url(schema)
            harness.load_registry(url, corpus)
            cmds = [harness.traza("load", *files, "-d", url, "--rejections", str(tmp_path / f"r{i}{together}.csv"))
                    for i, files in enumerate((a, b))]
            if together:
                procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=harness.child_env())
                         for c in cmds]
                codes = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
            else:
                codes = [(r.returncode, r.stderr.decode()) for r in
                         (subprocess.run(c, capture_output=True, env=harness.child_env()) for c in cmds)]
            assert [c for c, _ in codes] == [0, 0], codes
            n, keys, _ = _ledger(url)
            with open_database(url) as db:
                harness.check_ledger(db, corpus.rows)
            results.append((n, keys))
    assert results[0] == results[1]
    assert results[0][0] == sum(corpus.rows[Path(p).name] for p in sorted(set(a) | set(b)))


HOLD = """
import sys, time
from traza.store import open_database
db = open_database(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_second_writer_on_duckdb_is_told_the_database_is_busy(corpus: Corpus, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'busy.duckdb'}"
    harness.load_registry(url, corpus)
    subprocess.run(harness.traza("load", str(corpus.chunks[0]), "-d", url, "--rejections", str(tmp_path / "r.csv")),
                   check=True, capture_output=True, env=harness.child_env())
    before = _ledger(url)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, url], stdout=subprocess.PIPE, env=harness.child_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"holding"
        started = time.monotonic()
        second = subprocess.run(harness.traza("load", str(corpus.chunks[1]), "-d", url, "--rejections",
                                              str(tmp_path / "r2.csv")), capture_output=True, env=harness.child_env())
        assert second.returncode == 2, second
        message = " ".join(second.stderr.decode().split())
        assert "database busy" in message and "another process" in message, message
        assert "Traceback" not in message
        assert time.monotonic() - started < 30, "the second writer waited instead of answering"
        detect = subprocess.run(harness.traza("detect", "-d", url), capture_output=True, env=harness.child_env())
        assert detect.returncode == 2 and "database busy" in " ".join(detect.stderr.decode().split())
    finally:
        holder.kill()
        holder.wait()
    assert _ledger(url) == before, "the refused writer changed the database"
    subprocess.run(harness.traza("load", str(corpus.chunks[1]), "-d", url, "--rejections", str(tmp_path / "r3.csv")),
                   check=True, capture_output=True, env=harness.child_env())
    assert _ledger(url)[0] == before[0] + corpus.rows[corpus.chunks[1].name]
