"""The port simulator: deterministic, both formats, truth; evaluation ranks better than chance."""

from __future__ import annotations

from pathlib import Path

from traza.ports.evaluate import evaluate, load_sim, truth
from traza.ports.sim import SimPortParams, simulate_ports
from traza.ports.sim_write import write_port_sim
from traza.store import open_database


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_port_sim(simulate_ports(SimPortParams(seed=4, containers=1500)), tmp_path / name)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    write_port_sim(simulate_ports(SimPortParams(seed=5, containers=1500)), tmp_path / "c")
    assert _files(tmp_path / "a")["truth.csv"] != _files(tmp_path / "c")["truth.csv"]


def test_simulation_loads_and_ranks_planted_containers_above_chance(tmp_path: Path) -> None:
    folder = tmp_path / "sim"
    doc = write_port_sim(simulate_ports(SimPortParams(seed=9, containers=4000)), folder)
    assert any(name.startswith("cuscar/") for name in doc["files"]) and doc["files"]["manifests-callao.csv"] > 0
    planted = truth(folder)
    kinds = {t["kind"] for t in planted.values()}
    assert kinds == {"contaminated", "chemical"}
    with open_database(f"duckdb:///{tmp_path / 'e.duckdb'}") as db:
        load_sim(db, folder)
        ports = {r[0] for r in db.query("SELECT DISTINCT port FROM port_vessel_calls")}
        assert ports == {"PECLL", "PEPAI"}
        assert db.scalar("SELECT count(*) FROM port_manifests WHERE source_format = 'cuscar'") > 0
        result = evaluate(db, folder)
    base_rate = len(planted) / result["containers"]
    one, two, five = result["rates"]
    assert one["recall"] <= two["recall"] <= five["recall"]
    # ten times better than inspecting at random
    assert one["precision"] > 10 * base_rate
    # no planted container is marked by itself: some carry no signal at all and stay unranked
    assert five["recall"] < 1.0 or len(planted) < 10
