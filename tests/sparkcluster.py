"""A real Spark standalone cluster (one master, one worker) and a Spark Connect server for the
tests, started from the installed PySpark's own scripts and stopped by their process groups.

Everything binds 127.0.0.1 only. Master, worker, executors and the driver share this machine,
so the Parquet export on a local path is readable by the executors (on a real cluster it must
be on shared storage: docs/architecture.md).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def spark_env(logs: Path) -> dict[str, str]:
    """The environment of every Spark process here: loopback only, this venv's Python."""
    return {**os.environ, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": HOST,
            "SPARK_LOCAL_HOSTNAME": HOST, "SPARK_LOG_DIR": str(logs), "SPARK_PID_DIR": str(logs),
            "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}


@dataclass
class Cluster:
    url: str  # spark://127.0.0.1:<port>
    webui: str  # http://127.0.0.1:<port>, the master's status page (and its /json)
    logs: Path

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.webui}/json", timeout=5) as r:  # noqa: S310 - loopback
            status: dict[str, Any] = json.load(r)
        return status


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGKILL when the test process dies, so that a killed
    pytest leaves no JVM behind; spark-class execs java, which keeps it. Elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


class _Processes:
    """Processes started in their own sessions, each stopped by its process group."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        with open(self.logs / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(argv, env=spark_env(self.logs), stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=_die_with_parent)
        self.started.append((name, proc))
        return proc

    def wait_for(self, what: str, ready: Any, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.started:
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited ({proc.returncode}) before {what}:\n{self.tail(name)}")
            try:
                if ready():
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"timed out waiting for {what}:\n" + "\n".join(self.tail(n) for n, _ in self.started))

    def tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return f"--- {name} ---\n" + (path.read_text(errors="replace")[-chars:] if path.exists() else "")

    def stop(self) -> None:
        """SIGTERM to each process group, SIGKILL to what is left after 15 s; an executor is
        in its worker's group, spark-class's launcher in its script's."""
        for _, proc in reversed(self.started):
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc in reversed(self.started):
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=15)
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def standalone_cluster(logs: Path, cores: int = 2, memory: str = "1g") -> Iterator[Cluster]:
    """A master and one worker on 127.0.0.1, stopped (process groups killed) on exit."""
    spark_class = str(spark_home() / "bin" / "spark-class")
    port, ui, worker_ui = free_port(), free_port(), free_port()
    url, webui = f"spark://{HOST}:{port}", f"http://{HOST}:{ui}"
    logs.mkdir(parents=True, exist_ok=True)
    procs = _Processes(logs)
    cluster = Cluster(url, webui, logs)
    try:
        procs.start("master", [spark_class, "org.apache.spark.deploy.master.Master",
                               "--host", HOST, "--port", str(port), "--webui-port", str(ui)])
        procs.wait_for("the master", lambda: cluster.status().get("status") == "ALIVE")
        procs.start("worker", [spark_class, "org.apache.spark.deploy.worker.Worker", url,
                               "--host", HOST, "--cores", str(cores), "--memory", memory,
                               "--webui-port", str(worker_ui), "--work-dir", str(logs / "work")])
        procs.wait_for("the worker", lambda: cluster.status().get("aliveworkers", 0) >= 1)
        yield cluster
    finally:
        procs.stop()


@contextmanager
def connect_server(logs: Path, master: str = "local[2]") -> Iterator[str]:
    """A Spark Connect server on 127.0.0.1 (its Spark on ``master``); yields sc://127.0.0.1:<port>."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    procs = _Processes(logs)
    try:
        procs.start("connect", [
            str(spark_home() / "bin" / "spark-submit"), "--master", master,
            "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
            "--name", "traza-connect", "--conf", f"spark.connect.grpc.binding.address={HOST}",
            "--conf", f"spark.connect.grpc.binding.port={port}", "--conf", "spark.ui.enabled=false",
            "--conf", f"spark.driver.host={HOST}", "--conf", f"spark.driver.bindAddress={HOST}",
            "--conf", "spark.driver.memory=1g", "--conf", "spark.sql.shuffle.partitions=2",
            "spark-internal"])

        def listening() -> bool:
            with socket.create_connection((HOST, port), timeout=1):
                return True

        procs.wait_for("the Connect server", listening, timeout=120)
        yield f"sc://{HOST}:{port}"
    finally:
        procs.stop()
