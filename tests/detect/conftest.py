"""Fixtures of the detection tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.detect.cases import COUNTRY, World
from tests.sparkcluster import Cluster, connect_server, standalone_cluster
from traza.sim.build import simulate
from traza.sim.write import write_simulation


@pytest.fixture
def world(tmp_path: Path) -> World:
    """An empty registry and ledger to build a rule's case in."""
    return World(tmp_path / "case")



@pytest.fixture(scope="session")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulated country's folder: the four v1 files and truth.csv."""
    folder = tmp_path_factory.mktemp("country")
    write_simulation(simulate(COUNTRY), folder)
    return folder


def _need_spark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        skip_or_fail(f"PySpark is not installed: {exc}")
    if shutil.which("java") is None and "JAVA_HOME" not in os.environ:
        skip_or_fail("no Java runtime for Spark")


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A Spark standalone master and one worker (2 cores, 1 GiB) on 127.0.0.1, started from
    the installed PySpark and stopped by their process groups after the session."""
    _need_spark()
    with standalone_cluster(tmp_path_factory.mktemp("spark-cluster")) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def spark_connect(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Spark Connect server on 127.0.0.1 (its Spark in local mode, 1 GiB), from the installed
    PySpark's jars; yields its sc://127.0.0.1:<port> URL and is stopped by its process group."""
    _need_spark()
    try:
        import pyspark.sql.connect.session  # noqa: F401 - the client needs pyspark[connect]
    except ImportError as exc:
        skip_or_fail(f"the Spark Connect client is not installed (pyspark[connect]): {exc}")
    with connect_server(tmp_path_factory.mktemp("spark-connect")) as url:
        yield url
