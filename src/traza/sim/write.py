"""Writes a simulation as the public v1 files plus truth.csv and truth.json.

Movements are written in blocks with pyarrow's CSV writer straight from integer indices
(``take`` from small dictionaries of text), so ten million rows never exist as Python
strings. Output depends only on the simulation: same parameters, same bytes.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from traza.core.types import (
    AUTHORISATION_COLUMNS,
    ESTABLISHMENT_COLUMNS,
    MOVEMENT_COLUMNS,
    MOVEMENT_OPTIONAL,
    MOVEMENT_TYPES,
    OPERATOR_COLUMNS,
    OPERATOR_OPTIONAL,
)
from traza.sim import dirty
from traza.sim.build import Simulation
from traza.sim.ledger import DOC_CUSTOMS, DOC_GUIDE, DOC_NONE, DOC_OWN, Arr, T
from traza.sim.params import from_day
from traza.sim.supply import import_countries
from traza.sim.truth import TRUTH_COLUMNS, dirty_truth, scheme_truth, summary
from traza.sim.units import UNITS

MOVEMENT_HEADER = ("declaration_id", *MOVEMENT_COLUMNS, *(c for c in MOVEMENT_OPTIONAL if c != "declaration_id"))
FILES = ("operators.csv", "establishments.csv", "authorisations.csv", "movements.csv", "truth.csv", "truth.json")


def _iso(day: int) -> str:
    return from_day(day).isoformat()


def _csv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return len(rows)


def _number(q: float) -> str:
    return f"{q:.0f}" if float(q).is_integer() else repr(float(q))


def write_registry(sim: Simulation, out: Path) -> dict[str, int]:
    """operators.csv, establishments.csv and authorisations.csv, sorted by RUC so that no
    row's position betrays when (or why) the simulator created it."""
    reg, chems = sim.world.reg, sim.world.chems
    ops = sorted((i for i in range(len(reg.ruc)) if reg.listed[i]), key=lambda i: reg.ruc[i])
    n_ops = _csv(out / "operators.csv", (*OPERATOR_COLUMNS, *OPERATOR_OPTIONAL), [
        [reg.ruc[i], reg.name[i], reg.sector[i], _iso(reg.registered_on[i]), reg.status[i], reg.rep[i],
         reg.phone[i], reg.email[i]] for i in ops])
    ests = sorted(range(len(reg.est_op)), key=lambda e: (reg.ruc[reg.est_op[e]], reg.est_code[e]))
    ubigeos = sim.world.places.ubigeos
    n_est = _csv(out / "establishments.csv", ESTABLISHMENT_COLUMNS, [
        [reg.ruc[reg.est_op[e]], f"{reg.est_code[e]:04d}", ubigeos[reg.est_ubigeo[e]], reg.est_address[e]]
        for e in ests if reg.listed[reg.est_op[e]]])
    auths = sorted(sim.authorisations, key=lambda a: (reg.ruc[a.op], chems.codes[a.chem], a.valid_from))
    n_auth = _csv(out / "authorisations.csv", AUTHORISATION_COLUMNS, [
        [reg.ruc[a.op], chems.codes[a.chem], a.activities, _number(a.quota_kg), _iso(a.valid_from),
         _iso(a.valid_to)] for a in auths])
    return {"operators.csv": n_ops, "establishments.csv": n_est, "authorisations.csv": n_auth}


@dataclass(frozen=True)
class _Text:
    """Dictionaries of text the integer columns index into."""

    est_ruc: pa.Array
    est_code: pa.Array
    ruc: pa.Array
    types: pa.Array
    chems: pa.Array
    units: pa.Array
    ubigeos: pa.Array
    countries: pa.Array
    prefixes: pa.Array
    n_series: int


def _text(sim: Simulation) -> _Text:
    reg, world = sim.world.reg, sim.world
    n_series = max(reg.est_code) + 1
    return _Text(
        est_ruc=pa.array([reg.ruc[o] for o in reg.est_op]),
        est_code=pa.array([f"{c:04d}" for c in reg.est_code]),
        ruc=pa.array(reg.ruc),
        types=pa.array(list(MOVEMENT_TYPES)),
        chems=pa.array(list(world.chems.codes) + list(world.chems.cas)),
        units=pa.array(list(UNITS)),
        ubigeos=pa.array(list(world.places.ubigeos)),
        countries=pa.array(import_countries()),
        # Remission-guide series per issuing establishment, the buyer's own order numbers, and
        # customs declarations (Callao maritime office 118, regime 10 import / 40 export).
        prefixes=pa.array([f"T{k + 1:03d}" for k in range(n_series)] + ["OC", "118-10", "118-40"]),
        n_series=n_series,
    )


def _take(values: pa.Array, idx: Arr) -> pa.Array:
    return pc.take(values, pa.array(idx, mask=idx < 0))


def movement_table(sim: Simulation, text: _Text, sel: Arr | slice, pos: Arr) -> pa.Table:
    r, a = sim.rows, sim.world.arrays()
    est, kind, typ = r["est"][sel], r["doc_kind"][sel], r["type"][sel]
    prefix = np.select(
        [kind == DOC_GUIDE, kind == DOC_OWN, (kind == DOC_CUSTOMS) & (typ == T["import"]), kind == DOC_CUSTOMS],
        [a.est_code[np.maximum(r["doc_est"][sel], 0)], text.n_series, text.n_series + 1, text.n_series + 2], -1)
    prefix[kind == DOC_NONE] = -1
    number = pc.utf8_lpad(pc.cast(pa.array(r["doc_num"][sel]), pa.string()), 8, "0")
    country = r["country"][sel]
    cols = {
        "declaration_id": pc.binary_join_element_wise(
            "D", pc.utf8_lpad(pc.cast(pa.array(pos + 1), pa.string()), 10, "0"), ""),
        "declarant_ruc": pc.take(text.est_ruc, pa.array(est)),
        "establishment_code": pc.take(text.est_code, pa.array(est)),
        "date": pa.array(r["day"][sel].astype(np.int32), type=pa.date32()),
        "type": pc.take(text.types, pa.array(typ)),
        "chemical": pc.take(text.chems, pa.array(r["chem"][sel] + len(sim.world.chems) * a.est_cas[est])),
        "quantity": pa.array(sim.quantity[sel]),
        "unit": pc.take(text.units, pa.array(sim.unit[sel])),
        "counterparty_ruc": _take(text.ruc, r["cp"][sel]),
        "counterparty_establishment": _take(text.est_code, r["cp_est"][sel]),
        "document_ref": pc.binary_join_element_wise(_take(text.prefixes, prefix), number, "-"),
        "destination_ubigeo": _take(text.ubigeos, r["dest"][sel]),
        "origin_country": _take(text.countries, np.where(typ == T["import"], country, -1)),
        "destination_country": _take(text.countries, np.where(typ == T["export"], country, -1)),
        # The simulated date is the day each side declared (a late buyer's purchase is dated
        # late), so replay (`traza detect --as-of`) sees what was declared by then.
        "declared_on": pa.array(r["day"][sel].astype(np.int32), type=pa.date32()),
    }
    return pa.table(cols)


def _dirty_table(sim: Simulation, text: _Text, layout: dirty.Layout, sel: Arr) -> tuple[pa.Table, list[str], list[str]]:
    base = movement_table(sim, text, layout.dirty_base[sel], layout.dirty_pos[sel]).to_pylist()
    rucs, dates = [], []
    for k, row in enumerate(base):
        i = int(sel[k])
        kind = dirty.KINDS[int(layout.dirty_kind[i])]
        column = dirty.DEFECTS[kind][0]
        row["date"] = row["date"].isoformat()
        row["declared_on"] = ""  # a broken row says nothing of when it was declared
        row["quantity"] = repr(row["quantity"])
        dates.append(row["date"])
        row[column] = dirty.corrupt(kind, int(layout.dirty_variant[i]), row[column] or "")
        rucs.append(row["declarant_ruc"])
    names = list(MOVEMENT_HEADER)
    table = pa.table({c: pa.array([row[c] for row in base], type=pa.string()) for c in names})
    return table, rucs, dates


def write_movements(sim: Simulation, path: Path, layout: dirty.Layout) -> tuple[list[str], list[str]]:
    text = _text(sim)
    opts = pcsv.WriteOptions(include_header=False, quoting_style="none")
    n = len(sim.rows)
    chunk_of = layout.dirty_base // dirty.CHUNK
    rucs: list[str] = []
    dates: list[str] = []
    with path.open("wb") as fh:
        fh.write((",".join(MOVEMENT_HEADER) + "\n").encode())
        for c, start in enumerate(range(0, max(n, 1), dirty.CHUNK)):
            sl = slice(start, min(start + dirty.CHUNK, n))
            if sl.stop > sl.start:
                pcsv.write_csv(movement_table(sim, text, sl, layout.clean_pos[sl]), fh, opts)
            sel = np.flatnonzero(chunk_of == c)
            if len(sel):
                table, r, d = _dirty_table(sim, text, layout, sel)
                pcsv.write_csv(table, fh, opts)
                rucs += r
                dates += d
    return rucs, dates


def write_simulation(sim: Simulation, out: Path) -> dict[str, Any]:
    """Write every file into ``out``; returns truth.json's content."""
    out.mkdir(parents=True, exist_ok=True)
    files = write_registry(sim, out)
    r = sim.rows
    has_cp = (r["cp"] >= 0) & np.isin(r["type"], [T[t] for t in ("sale", "purchase", "transfer_in", "transfer_out")])
    layout = dirty.plan(len(r), sim.params.dirty_rate, np.random.default_rng([sim.params.seed, 99]), has_cp)
    rucs, dates = write_movements(sim, out / "movements.csv", layout)
    files["movements.csv"] = layout.total
    truth = scheme_truth(sim, layout) + dirty_truth(layout, rucs, dates)
    files["truth.csv"] = _csv(out / "truth.csv", TRUTH_COLUMNS, [t.as_row() for t in truth])
    doc = summary(sim, layout, files)
    (out / "truth.json").write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return doc
