"""`traza evaluate ports`: load a port simulation into a fresh database, score every container
of the year and report the share of planted containers caught, and the precision, when
inspecting the top 1%, 2% and 5% (ranked over the year)."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from traza.ports.load import load_file
from traza.ports.runner import run
from traza.ports.sim_write import load_order
from traza.store.db import Database

RATES = (0.01, 0.02, 0.05)


def load_sim(db: Database, folder: Path) -> None:
    from traza.ingest import load_paths

    load_paths(db, [folder / "operators.csv", folder / "authorisations.csv"])
    for path in load_order(folder):
        load_file(db, path)


def truth(folder: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (folder / "truth.csv").open(encoding="utf-8") as f:
        return {(r["call_id"], r["container_no"]): r for r in csv.DictReader(f)}


def evaluate(db: Database, folder: Path, engine: str | None = None) -> dict[str, Any]:
    planted = truth(folder)
    population = db.query(
        "SELECT DISTINCT m.call_id, e.container_no FROM port_equipment e "
        "JOIN port_manifests_current m ON m.manifest_id = e.manifest_id")
    scored = run(db, engine or db.dialect)
    order = sorted(((scored[k].score if k in scored else 0.0), k) for k in map(tuple, population))
    order.sort(key=lambda x: (-x[0], x[1]))
    out: dict[str, Any] = {"containers": len(order), "planted": len(planted), "rates": []}
    for rate in RATES:
        n = math.ceil(rate * len(order))
        top = {k for _, k in order[:n]}
        caught = [planted[k] for k in top if k in planted]
        by_kind: dict[str, list[int]] = {}
        for k, t in planted.items():
            by_kind.setdefault(t["kind"], [0, 0])
            by_kind[t["kind"]][1] += 1
            by_kind[t["kind"]][0] += k in top
        out["rates"].append({
            "inspected_share": rate, "inspected": n, "caught": len(caught),
            "recall": round(len(caught) / len(planted), 4) if planted else None,
            "precision": round(len(caught) / n, 4) if n else None,
            "recall_by_kind": {k: round(c / t, 4) for k, (c, t) in sorted(by_kind.items())},
        })
    contaminated = [k for k, t in planted.items() if t["kind"] == "contaminated"]
    if contaminated:
        n2 = math.ceil(0.02 * len(order))
        top2 = {k for _, k in order[:n2]}
        out["contaminated_caught_at_2pct"] = round(sum(k in top2 for k in contaminated) / len(contaminated), 4)
    return out
