"""Detection and port targeting on a real Spark standalone cluster (a master and a worker on
127.0.0.1, tests/sparkcluster.py) find exactly what DuckDB finds: the engine-equality cases of
tests/detect/test_engines.py and tests/ports/test_engines.py, with the Spark side run as a
user runs it, in a process of its own whose TRAZA_SPARK_MASTER names the cluster."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.detect.cases import World
from tests.detect.test_engines import END, _load, plant, run_all
from tests.ports.conftest import load_scenario
from tests.ports.test_engines import _hits
from tests.sparkcluster import Cluster, spark_env
from traza.store import open_database

ROOT = Path(__file__).resolve().parents[2]


def _expected(country: Path, folder: Path) -> tuple[Path, Path, set[Any], set[Any]]:
    """The two databases (detection's country, ports' scenario) and what DuckDB finds in them."""
    planted = World(folder / "planted")
    plant(planted)
    detect_db, ports_db = folder / "detect.duckdb", folder / "ports.duckdb"
    db = open_database(f"duckdb:///{detect_db}")
    try:
        _load(db, country, planted)
        detect = run_all(db, "duckdb", END)
    finally:
        db.close()
    db = open_database(f"duckdb:///{ports_db}")
    try:
        load_scenario(db, folder / "scenario")
        ports = _hits(db, "duckdb")
    finally:
        db.close()
    assert len({k[0] for k in detect}) >= 20 and len({h[0] for h in ports}) >= 18
    return detect_db, ports_db, detect, ports


def _run_job(folder: Path, detect_db: Path, ports_db: Path, **settings: str) -> dict[str, Any]:
    env = {k: v for k, v in spark_env(folder / "logs").items() if k not in ("TRAZA_SPARK_MASTER", "TRAZA_SPARK_REMOTE")}
    env |= {"TRAZA_SPARK_PARTITIONS": "2", "TRAZA_SPARK_DRIVER_MEMORY": "1g", **settings}
    out = folder / "spark.pickle"
    done = subprocess.run([sys.executable, "-m", "tests.detect.spark_cluster_job", str(detect_db), str(ports_db),
                           str(folder / "work"), str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-6000:]
    result: dict[str, Any] = pickle.loads(out.read_bytes())  # noqa: S301 - our own job's file
    return result


@pytest.mark.spark
def test_standalone_cluster_finds_what_duckdb_finds(spark_cluster: Cluster, country: Path, tmp_path: Path) -> None:
    detect_db, ports_db, detect, ports = _expected(country, tmp_path)
    result = _run_job(tmp_path, detect_db, ports_db, TRAZA_SPARK_MASTER=spark_cluster.url)
    assert result["master"] == spark_cluster.url
    assert result["detect"] == detect
    assert result["ports"] == ports
    # the master ran it: the job's application is among its completed ones, with executors
    apps = {a["id"]: a for a in spark_cluster.status()["completedapps"]}
    assert result["app_id"] in apps, (result["app_id"], list(apps))
    assert apps[result["app_id"]]["cores"] >= 1


@pytest.mark.spark
def test_spark_connect_targets_ports_as_duckdb_does(spark_connect: str, tmp_path: Path) -> None:
    """Through Spark Connect (TRAZA_SPARK_REMOTE), the port-targeting case, which calls every
    method of the engine (reference tables from Python rows, tables materialised as Parquet,
    queries), finds what DuckDB finds. Detection calls the same methods; its larger case runs
    on the standalone cluster above, so it is not repeated here to keep the run short."""
    ports_db = tmp_path / "ports.duckdb"
    db = open_database(f"duckdb:///{ports_db}")
    try:
        load_scenario(db, tmp_path / "scenario")
        ports = _hits(db, "duckdb")
    finally:
        db.close()
    assert len({h[0] for h in ports}) >= 18
    result = _run_job(tmp_path, Path("-"), ports_db, TRAZA_SPARK_REMOTE=spark_connect)
    assert result["remote"] is True  # a Spark Connect client, not a local session
    assert result["ports"] == ports
