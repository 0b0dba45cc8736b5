"""Read field files into items (one per CSV line or GeoJSON feature), never raising: what
cannot be read becomes a problem naming the line or feature, the field and the reason.
Pure (text in, items out), so the property tests can throw anything at it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from traza.field.model import Kind, kind_of


@dataclass(frozen=True)
class Problem:
    line: int | None        # CSV line (the header is line 1); None for GeoJSON
    column: str | None      # the field; for GeoJSON ``features[i].properties.x`` or ``features[i].geometry``
    value: str | None
    reason: str


@dataclass
class Item:
    kind: Kind
    line: int | None
    feature: int | None
    fields: dict[str, str | None]
    geometry: Any = None    # a GeoJSON geometry object (GeoJSON files only)

    @property
    def ref(self) -> str:
        return f"line {self.line}" if self.line is not None else f"feature {self.feature}"

    def column(self, name: str) -> str:
        """How a refusal names a field of this item."""
        if self.feature is None:
            return name
        return f"features[{self.feature}].geometry" if name == "geometry" else f"features[{self.feature}].properties.{name}"


@dataclass
class Parsed:
    kind: Kind | None
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False     # nothing in the file can be read (no header, not JSON...)


def _clean(v: Any) -> str | None:
    if v is None:
        return None
    s = v if isinstance(v, str) else json.dumps(v) if isinstance(v, dict | list) else str(v)
    s = s.strip()
    return s or None


def parse_csv(text: str) -> Parsed:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return Parsed(None, problems=[Problem(None, None, None, f"not readable as CSV: {exc}")], fatal=True)
    if not rows or not any(c.strip() for c in rows[0]):
        return Parsed(None, problems=[Problem(1, None, None, "the file has no header line")], fatal=True)
    header = [h.strip().lower() for h in rows[0]]
    dup = sorted({h for h in header if header.count(h) > 1 and h})
    if dup:
        return Parsed(None, problems=[Problem(1, dup[0], None, f"column {dup[0]!r} appears twice in the header")], fatal=True)
    kind = kind_of(header)
    if kind is None:
        return Parsed(None, problems=[Problem(1, None, None, "unknown field file: the header names no id column "
                                              "(plot_id, seedbed_id, operation_id, certificate_id, ...)")], fatal=True)
    out = Parsed(kind)
    missing = [c for c in kind.required if c not in header]
    if missing:
        out.problems.append(Problem(1, missing[0], None, f"required column {missing[0]!r} is missing from the header"))
        out.fatal = True
        return out
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank line
        if len(row) != len(header):
            out.problems.append(Problem(n, None, None, f"expected {len(header)} fields, found {len(row)}"))
            continue
        out.items.append(Item(kind, n, None, {h: _clean(v) for h, v in zip(header, row, strict=True) if h}))
    return out


def parse_geojson(text: str) -> Parsed:
    """A FeatureCollection of plots or seedbeds: each feature's properties hold the CSV columns
    and its geometry the polygon (or point)."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Parsed(None, problems=[Problem(None, None, None, f"not valid JSON: {exc}")], fatal=True)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return Parsed(None, problems=[Problem(None, "type", _clean(doc.get("type")) if isinstance(doc, dict) else None,
                                              "expected a GeoJSON FeatureCollection with a features list")], fatal=True)
    out = Parsed(None)
    for i, feat in enumerate(doc["features"]):
        where = f"features[{i}]"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            out.problems.append(Problem(None, where, None, "expected a GeoJSON Feature"))
            continue
        props = feat.get("properties")
        if not isinstance(props, dict):
            out.problems.append(Problem(None, f"{where}.properties", None, "expected an object of properties"))
            continue
        fields = {str(k).strip().lower(): _clean(v) for k, v in props.items()}
        kind = kind_of(list(fields))
        if kind is None or kind.name not in ("plots", "seedbeds"):
            out.problems.append(Problem(None, f"{where}.properties", None,
                                        "a feature must be a plot (plot_id) or a seedbed (seedbed_id)"))
            continue
        out.kind = out.kind or kind
        out.items.append(Item(kind, None, i, fields, feat.get("geometry")))
    return out
