"""Files of a port simulation: Callao's manifests as CSV, Paita's as CUSCAR interchanges (one a
month), amendments, port events, the chemical importers' registry and the truth."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from traza.ports.csv_write import write_events, write_manifest_file
from traza.ports.cuscar_write import interchange
from traza.ports.model import Manifest
from traza.ports.sim import PortSim


def _month(m: Manifest) -> str:
    d = m.call.departure or m.call.arrival
    return d.strftime("%Y-%m") if d else "0000-00"


def write_port_sim(sim: PortSim, out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    with (out / "operators.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("ruc", "name", "sector", "registered_on", "status"))
        w.writerows((r, n, "importer", "2015-01-01", "active") for r, n in sim.operators)
    files["operators.csv"] = len(sim.operators)
    with (out / "authorisations.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("ruc", "chemical", "activities", "annual_quota_kg", "valid_from", "valid_to"))
        w.writerows((r, c, "import;sell;store", "" if q is None else int(q), "2015-01-01", "")
                    for r, c, q in sim.authorisations)
    files["authorisations.csv"] = len(sim.authorisations)
    callao = [m for m in sim.manifests if m.call.port != "PEPAI"]
    files["manifests-callao.csv"] = write_manifest_file(out / "manifests-callao.csv", callao)
    by_month: dict[str, list[Manifest]] = defaultdict(list)
    for m in sim.manifests:
        if m.call.port == "PEPAI":
            by_month[_month(m)].append(m)
    (out / "cuscar").mkdir(exist_ok=True)
    for month, mans in sorted(by_month.items()):
        name = f"cuscar/paita-{month}.edi"
        (out / name).write_text(interchange(mans, "PAITASIM"), encoding="utf-8")
        files[name] = len(mans)
    files["amendments.csv"] = write_manifest_file(out / "amendments.csv", sim.amendments)
    files["events.csv"] = write_events(out / "events.csv", sim.events)
    with (out / "truth.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("call_id", "container_no", "kind", "modus"))
        w.writerows((t.call_id, t.container_no, t.kind, t.modus) for t in sim.truth)
    files["truth.csv"] = len(sim.truth)
    doc = {"params": sim.params.__dict__, "files": files,
           "containers": sum(len(m.equipment) for m in sim.manifests), "planted": len(sim.truth)}
    (out / "truth.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return doc


def load_order(folder: Path) -> list[Path]:
    """The files in the order they must be loaded: manifests before their amendments and events."""
    return ([folder / "manifests-callao.csv"] + sorted((folder / "cuscar").glob("*.edi"))
            + [folder / "amendments.csv", folder / "events.csv"])
