"""The engine-equality cases' Spark side, run in a process of its own, as a user's job is: the
Spark session comes from the settings (TRAZA_SPARK_MASTER or TRAZA_SPARK_REMOTE in the
environment), not from the tests' local session. Used by tests/detect/test_spark_cluster.py:

    python -m tests.detect.spark_cluster_job DETECT_DB PORTS_DB WORK_DIR OUT.pickle

writes a pickle of {"detect": keys, "ports": hits, "master": ..., "app_id": ..., "remote": ...}
(DETECT_DB "-" skips detection).
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

from tests.detect.test_engines import END, run_all
from tests.ports.test_engines import _hits
from traza.detect.engines.spark import spark_session
from traza.store import open_database


def main(detect_db: str, ports_db: str, work: str, out: str) -> None:
    started = time.perf_counter()
    session = spark_session()
    remote = session.__class__.__module__.startswith("pyspark.sql.connect")
    master = session.conf.get("spark.master")
    app_id = session.conf.get("spark.app.id")
    result: dict[str, object] = {"master": master, "app_id": app_id, "remote": remote}
    result["session_s"] = time.perf_counter() - started
    if detect_db != "-":
        db = open_database(f"duckdb:///{detect_db}")
        try:
            result["detect"] = run_all(db, "spark", END, Path(work) / "detect")
        finally:
            db.close()
    result["detect_s"] = time.perf_counter() - started
    db = open_database(f"duckdb:///{ports_db}")
    try:
        result["ports"] = _hits(db, "spark")
    finally:
        db.close()
    result["ports_s"] = time.perf_counter() - started
    session.stop()
    Path(out).write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:5])
