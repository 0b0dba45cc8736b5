"""What was planted: one truth row per scheme member (with the declarations that show the
scheme) and one per malformed row, plus a JSON summary of parameters and counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from traza.core.types import MOVEMENT_TYPES
from traza.sim.build import Simulation
from traza.sim.dirty import DEFECTS, KINDS, Layout
from traza.sim.params import from_day
from traza.sim.schemes import LEVELS

TRUTH_COLUMNS = ("scheme_id", "typology", "ruc", "role", "declaration_ids", "first_date", "last_date",
                 "file", "line", "column")
DIRTY = "dirty"


@dataclass(frozen=True)
class TruthRow:
    scheme_id: str
    typology: str
    ruc: str
    role: str
    declaration_ids: tuple[str, ...]
    first_date: str
    last_date: str
    file: str = ""
    line: int | None = None
    column: str = ""

    def as_row(self) -> list[str]:
        return [self.scheme_id, self.typology, self.ruc, self.role, ";".join(self.declaration_ids),
                self.first_date, self.last_date, self.file, "" if self.line is None else str(self.line),
                self.column]


def declaration_id(position: int) -> str:
    return f"D{position + 1:010d}"


def scheme_truth(sim: Simulation, layout: Layout) -> list[TruthRow]:
    rows, reg = sim.rows, sim.world.reg
    decl_op = sim.world.arrays().est_op[rows["est"]]
    marked = np.flatnonzero(rows["scheme"] >= 0)
    out = []
    for p in sim.schemes:
        mine = marked[rows["scheme"][marked] == p.index]
        days = rows["day"][mine]
        first = from_day(int(days.min())).isoformat() if len(mine) else ""
        last = from_day(int(days.max())).isoformat() if len(mine) else ""
        for m in p.output.members:
            touch = mine[(decl_op[mine] == m.op) | (rows["cp"][mine] == m.op)]
            ids = tuple(declaration_id(int(layout.clean_pos[i])) for i in touch)
            out.append(TruthRow(p.scheme_id, p.typology, reg.ruc[m.op], m.role, ids, first, last))
    return out


def dirty_truth(layout: Layout, rucs: list[str], dates: list[str]) -> list[TruthRow]:
    """``rucs`` and ``dates``: the declarant RUC and original date written on each dirty row."""
    out = []
    for i in range(len(layout.dirty_base)):
        kind = KINDS[int(layout.dirty_kind[i])]
        pos = int(layout.dirty_pos[i])
        out.append(TruthRow(f"X{i + 1:07d}", DIRTY, rucs[i], kind, (declaration_id(pos),), dates[i], dates[i],
                            "movements.csv", pos + 2, DEFECTS[kind][0]))
    return out


def summary(sim: Simulation, layout: Layout, files: dict[str, int]) -> dict[str, Any]:
    rows, reg = sim.rows, sim.world.reg
    types = np.bincount(rows["type"], minlength=len(MOVEMENT_TYPES))
    by_typology = Counter(p.typology for p in sim.schemes)
    schemes = []
    for p in sim.schemes:
        n = int((rows["scheme"] == p.index).sum())
        schemes.append({
            "scheme_id": p.scheme_id, "typology": p.typology, "level": LEVELS[p.level], "rows": n,
            "members": [{"ruc": reg.ruc[m.op], "role": m.role} for m in p.output.members],
            "params": _plain(p.output.params),
        })
    return {
        "format": "traza-sim-truth/1",
        "parameters": sim.params.as_dict(),
        "files": files,
        "movements_by_type": {t: int(types[i]) for i, t in enumerate(MOVEMENT_TYPES)},
        "schemes_by_typology": dict(sorted(by_typology.items())),
        "involved_operators": len({m.op for p in sim.schemes for m in p.output.members}),
        "dirty_rows": {k: int((layout.dirty_kind == i).sum()) for i, k in enumerate(KINDS)},
        "noise": sim.noise,
        "schemes": schemes,
    }


def _plain(value: Any) -> Any:
    """JSON-ready copy: numpy scalars to Python, floats rounded so output is stable."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 4)
    return value
