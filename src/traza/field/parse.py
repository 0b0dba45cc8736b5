"""Read field files into items (one per CSV line or GeoJSON feature), never raising: what
cannot be read becomes a problem naming the line or feature, the field and the reason.
Pure (text in, items out), so the property tests can throw anything at it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from traza.core.rejection import Rejection, unnamed
from traza.core.text import BadText, clean_text, header_name
from traza.field.model import Kind, kind_of


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
    problems: list[Rejection] = field(default_factory=list)
    fatal: bool = False     # nothing in the file can be read (no header, not JSON...)


# The longest value a field file's cell may hold (the longest field, a description, is far
# shorter): a 2 MB cell is refused naming it, not carried into every check and the database.
CELL_LIMIT = 4000


def _clean(v: Any, field: str) -> str | None:
    """A value in its one reading (``core.text.clean_text``: NFKC, invisible characters
    removed, NUL and controls refused naming ``field``), trimmed; None when empty."""
    if v is None:
        return None
    s = v if isinstance(v, str) else json.dumps(v) if isinstance(v, dict | list) else str(v)
    s = clean_text(s, field, max_length=CELL_LIMIT).strip()
    return s or None


def shown(v: Any) -> str:
    """A refused value as a rejection may store and show it: controls escaped, cut short."""
    text = v if isinstance(v, str) else str(v)
    out = text[:80].encode("unicode_escape").decode("ascii")
    return out + ("..." if len(text) > 80 else "")


def _cells(names: list[str], values: list[Any], line: int | None, where: Callable[[str], str],
           problems: list[Rejection]) -> dict[str, str | None] | None:
    """The cleaned cells of one line or feature, or None (with a problem per bad cell)."""
    out: dict[str, str | None] = {}
    for name, v in zip(names, values, strict=True):
        try:
            out[name] = _clean(v, where(name))
        except BadText as exc:
            problems.append(unnamed(line, exc.field, shown(v), exc.reason))
    return out if len(out) == len(names) else None


def _header(raw: list[Any], where: Callable[[int], str]) -> list[str] | Rejection:
    names = []
    for i, h in enumerate(raw):
        try:
            names.append(header_name(str(h), where(i)))
        except BadText as exc:
            return unnamed(1 if where(0) == "column 1" else None, exc.field, shown(h), exc.reason)
    return names


def parse_csv(text: str) -> Parsed:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return Parsed(None, problems=[unnamed(None, None, None, f"not readable as CSV: {exc}")], fatal=True)
    if not rows or not any(c.strip() for c in rows[0]):
        return Parsed(None, problems=[unnamed(1, None, None, "the file has no header line")], fatal=True)
    header = _header(rows[0], lambda i: f"column {i + 1}")
    if isinstance(header, Rejection):
        return Parsed(None, problems=[header], fatal=True)
    dup = sorted({h for h in header if header.count(h) > 1 and h})
    if dup:
        return Parsed(None, problems=[unnamed(1, dup[0], None, f"column {dup[0]!r} appears twice in the header")], fatal=True)
    kind = kind_of(header)
    if kind is None:
        return Parsed(None, problems=[unnamed(1, None, None, "unknown field file: the header names no id column "
                                              "(plot_id, seedbed_id, operation_id, certificate_id, ...)")], fatal=True)
    out = Parsed(kind)
    missing = [c for c in kind.required if c not in header]
    if missing:
        out.problems.append(unnamed(1, missing[0], None, f"required column {missing[0]!r} is missing from the header"))
        out.fatal = True
        return out
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank line
        if len(row) != len(header):
            out.problems.append(unnamed(n, None, None, f"expected {len(header)} fields, found {len(row)}"))
            continue
        named = [(h, v) for h, v in zip(header, row, strict=True) if h]
        fields = _cells([h for h, _ in named], [v for _, v in named], n, lambda h: h, out.problems)
        if fields is not None:
            out.items.append(Item(kind, n, None, fields))
    return out


def parse_geojson(text: str) -> Parsed:
    """A FeatureCollection of plots or seedbeds: each feature's properties hold the CSV columns
    and its geometry the polygon (or point)."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Parsed(None, problems=[unnamed(None, None, None, f"not valid JSON: {exc}")], fatal=True)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return Parsed(None, problems=[unnamed(None, "type", shown(doc.get("type")) if isinstance(doc, dict) else None,
                                              "expected a GeoJSON FeatureCollection with a features list")], fatal=True)
    out = Parsed(None)
    for i, feat in enumerate(doc["features"]):
        where = f"features[{i}]"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            out.problems.append(unnamed(None, where, None, "expected a GeoJSON Feature"))
            continue
        props = feat.get("properties")
        if not isinstance(props, dict):
            out.problems.append(unnamed(None, f"{where}.properties", None, "expected an object of properties"))
            continue
        keys = _header(list(props), lambda k, w=where: f"{w}.properties (key {k + 1})")  # type: ignore[misc]
        if isinstance(keys, Rejection):
            out.problems.append(keys)
            continue
        if len(set(keys)) != len(keys):
            dup = sorted({k for k in keys if keys.count(k) > 1})[0]
            out.problems.append(unnamed(None, f"{where}.properties.{dup}", None, f"property {dup!r} appears twice"))
            continue
        fields = _cells(keys, list(props.values()), None, lambda k, w=where: f"{w}.properties.{k}",  # type: ignore[misc]
                        out.problems)
        if fields is None:
            continue
        kind = kind_of(list(fields))
        if kind is None or kind.name not in ("plots", "seedbeds"):
            out.problems.append(unnamed(None, f"{where}.properties", None,
                                        "a feature must be a plot (plot_id) or a seedbed (seedbed_id)"))
            continue
        out.kind = out.kind or kind
        out.items.append(Item(kind, None, i, fields, feat.get("geometry")))
    return out
