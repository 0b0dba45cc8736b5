"""SIGKILL ``traza load``, ``traza detect`` and ``traza serve`` (during uploads) at seeded
random moments, on each backend; see :mod:`tests.reliability.harness` for what is checked.

TRAZA_CRASH_TRIALS sets the trials per target and backend (20 by default; benchmarks/crash.py
runs more)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.reliability import harness
from tests.reliability.harness import Corpus, Tally

pytestmark = pytest.mark.slow
TRIALS = int(os.environ.get("TRAZA_CRASH_TRIALS", "20"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return harness.prepare_corpus(tmp_path_factory.mktemp("crash"))


def _backend(db_url: str) -> str:
    return "duckdb" if db_url.startswith("duckdb") else "postgres"


def test_kill_load(db_url: str, corpus: Corpus) -> None:
    harness.load_registry(db_url, corpus)
    tally = Tally("load", _backend(db_url))
    harness.trial_loads(db_url, corpus, TRIALS, random.Random(11), tally)
    print(tally.line())
    assert tally.trials == TRIALS
    assert tally.killed_before_commit, "no kill landed before a commit: the trials proved nothing"


def test_kill_detect(db_url: str, corpus: Corpus) -> None:
    harness.load_registry(db_url, corpus)
    harness.trial_loads(db_url, corpus, 0, random.Random(0), Tally("load", ""))
    tally = Tally("detect", _backend(db_url))
    harness.trial_detects(db_url, corpus, TRIALS, random.Random(12), tally)
    print(tally.line())
    assert tally.killed_before_commit, "no kill landed before a commit: the trials proved nothing"


def test_kill_server_during_uploads(db_url: str, corpus: Corpus, tmp_path: Path) -> None:
    harness.load_registry(db_url, corpus)
    uploads = harness.prepare_uploads(db_url, corpus)
    tally = Tally("server", _backend(db_url))
    harness.trial_server(db_url, uploads, TRIALS, random.Random(13), tally)
    print(tally.line(), tally.notes[-1])
    assert tally.trials == TRIALS
    assert tally.completed, "no upload was answered before a kill: durability was never checked"
