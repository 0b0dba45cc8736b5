"""Apache Spark engine: the scale-out batch. It reads the ledger and registry exported to
Parquet (``traza.store.export``), runs the same rule SQL transpiled to Spark SQL, and hands
the findings back; alerts are written to the database by the runner as for other engines.

Here it runs in local mode; on a cluster the same code runs with ``TRAZA_SPARK_MASTER``
pointing at the cluster, or ``TRAZA_SPARK_REMOTE`` at a Spark Connect server, and the
Parquet folder on storage the executors share (docs/architecture.md).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from traza.core.settings import env
from traza.detect.engines import Engine, Row
from traza.store.export import TABLES


@lru_cache(maxsize=512)
def to_spark(sql: str) -> str:
    tree = sqlglot.parse_one(sql, read="duckdb").transform(_exact_percentile)
    return tree.sql(dialect="spark")


def _exact_percentile(node: exp.Expression) -> exp.Expression:
    # sqlglot writes DuckDB's quantile_cont(x, q) as Spark's PERCENTILE_CONT(x, q), which
    # Spark refuses (it takes WITHIN GROUP); its exact, interpolating aggregate is PERCENTILE.
    if isinstance(node, exp.PercentileCont) and node.args.get("expression") is not None:
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
    return node


def spark_session() -> Any:
    """A Spark session for detection: local unless TRAZA_SPARK_MASTER names a cluster, or a
    Spark Connect client when TRAZA_SPARK_REMOTE names a server."""
    from pyspark.sql import SparkSession

    settings = env()
    sql_conf = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": settings.spark_partitions,
        # Broadcast only small tables: a large broadcast hash map exhausts the driver
        "spark.sql.autoBroadcastJoinThreshold": settings.spark_broadcast,
        "spark.sql.ansi.enabled": "true",
    }
    if settings.spark_remote:
        # The server's Spark is the driver: its master and memory are the server's own
        # settings; the client sets only the session's SQL settings.
        session = SparkSession.builder.remote(settings.spark_remote).getOrCreate()
        for key, value in sql_conf.items():
            session.conf.set(key, value)
        return session
    builder = (
        SparkSession.builder.master(settings.spark_master)
        .appName("traza-detect")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", settings.spark_driver_memory)
    )
    for key, value in sql_conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, parquet_dir: Path, session: Any | None = None, tables: Sequence[str] = TABLES) -> None:
        self.spark = session or spark_session()
        # Base tables are written here and read back, next to the exported ledger (shared
        # storage on a cluster); removed by close().
        self.work = parquet_dir / f"_run-{uuid.uuid4().hex[:12]}"
        for table in tables:  # each exported as <table>.parquet (traza.store.export)
            self.spark.read.parquet(str(parquet_dir / f"{table}.parquet")).createOrReplaceTempView(table)

    def load_table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
        spark_types = {"VARCHAR": "STRING", "DOUBLE": "DOUBLE", "DATE": "DATE", "BIGINT": "BIGINT", "BOOLEAN": "BOOLEAN"}
        schema = ", ".join(f"{c} {spark_types[types[c]]}" for c in columns)
        rows = list(zip(*columns.values(), strict=True))
        self.spark.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)

    def create(self, name: str, sql: str) -> None:
        # Materialised as Parquet, not cache(): a cached table keeps its whole plan, so the
        # pairing rounds (each reading the previous ones twice) nest plans exponentially and
        # planning d_recon and the rules over it took minutes, or ran the driver out of memory.
        path = str(self.work / name)
        self.spark.sql(to_spark(sql)).write.mode("overwrite").parquet(path)
        self.spark.read.parquet(path).createOrReplaceTempView(name)

    def query(self, sql: str) -> tuple[list[str], list[Row]]:
        df = self.spark.sql(to_spark(sql))
        names = df.columns
        return names, [tuple(r) for r in df.collect()]

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
