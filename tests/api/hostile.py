"""Hostile text for every parameter: the values, what each must do, and requests built from the
app's own route tables (the OpenAPI schema for the API, the Starlette routes for pages), so a
new route or parameter is covered the day it is added."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.factories import SELLER

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")




def is_identifier(name: str) -> bool:
    """Identifier-shaped names (RUC, ubigeo, codes): digits of other scripts must be refused
    there, not only normalised. Written out here, not imported: the test states the rule."""
    n = name.lower()
    return n in ("ruc", "ubigeo", "cas", "code", "key_id", "container_no") or n.endswith(("_ruc", "_ubigeo", "_code"))


@dataclass(frozen=True)
class Hostile:
    name: str
    refused: bool  # True: a 4xx naming the field; False: anything but a 5xx (the value may be normalised)
    identifier_only: bool = False  # refused only where the field is identifier-shaped

    def make(self, base: str) -> str:
        return {
            "nul": base[:1] + "\x00" + base[1:],
            "escape": base + "\x1b[31m",
            "surrogate": base + "\ud800",
            "huge": "7" * 20_000,
            "bom": "\ufeff" + base,
            "zero_width": base[:1] + "\u200b" + base[1:],
            "full_width": base.translate(FULL_WIDTH),
            "arabic_digits": base.translate(ARABIC),
            "confusable": base.replace("0", "O").replace("1", "l"),
        }[self.name]


HOSTILE = (Hostile("nul", True), Hostile("escape", True), Hostile("huge", True), Hostile("bom", False),
           Hostile("zero_width", False), Hostile("full_width", False), Hostile("arabic_digits", True, True),
           Hostile("confusable", False))
# A lone surrogate cannot be written in a URL (it is not a character); JSON's \ud800 can.
JSON_ONLY = (Hostile("surrogate", True),)


def base_value(name: str, schema: dict[str, Any] | None = None) -> str:
    """A plausible value for a parameter, so the hostile one differs from a real request only in
    the character under test."""
    n = name.lower()
    if n == "ruc" or n.endswith("_ruc"):
        return SELLER
    if "ubigeo" in n:
        return "150101"
    if n.endswith("code"):
        return "0000"
    if n == "chemical":
        return "sulfuric_acid"
    if n == "unit":
        return "kg"
    if n in ("since", "until", "at", "date", "until_date", "as_of") or (schema or {}).get("format") == "date":
        return "2025-03-01"
    if n in ("month", "through"):
        return "2025-03"
    if (schema or {}).get("type") in ("integer", "number") or n.endswith("_id") and n not in ("alert_id", "key_id", "rule_id"):
        return "1"
    if (schema or {}).get("enum"):
        return str(schema["enum"][0])  # type: ignore[index]
    return "x10"


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [resolve(spec, s) for s in schema[key] if s.get("type") != "null"]
            if options:
                return {**{k: v for k, v in schema.items() if k != key}, **options[0]}
    return schema


def example(spec: dict[str, Any], schema: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    """A value for ``schema`` with every property filled (arrays get one item): the request the
    hostile values are put into, one string at a time."""
    s = resolve(spec, schema)
    kind = s.get("type")
    if "enum" in s:
        return s["enum"][0]
    if kind == "object" or "properties" in s:
        if depth > 4:
            return {}
        return {k: example(spec, v, k, depth + 1) for k, v in s.get("properties", {}).items()}
    if kind == "array":
        return [example(spec, s.get("items", {}), name, depth + 1)]
    if kind == "integer":
        return max(1, int(s.get("minimum", 1)))
    if kind == "number":
        return max(1.0, float(s.get("minimum", 1)))
    if kind == "boolean":
        return False
    if s.get("format") == "date-time":
        return "2025-03-01T00:00:00Z"
    return base_value(name, s)


def string_leaves(value: Any, path: str = "body") -> Iterator[tuple[str, list[Any], str]]:
    """(field as the edge names it, keys to reach it, the key's own name) of each string."""
    if isinstance(value, dict):
        for k, v in value.items():
            for field, keys, name in string_leaves(v, f"{path}.{k}"):
                yield field, [k, *keys], name or k
    elif isinstance(value, list):
        for i, v in enumerate(value):
            for field, keys, name in string_leaves(v, f"{path}[{i}]"):
                yield field, [i, *keys], name
    elif isinstance(value, str):
        yield path, [], ""


def replaced(document: Any, keys: list[Any], new: str) -> Any:
    if not keys:
        return new
    if isinstance(document, list):
        return [replaced(v, keys[1:], new) if i == keys[0] else v for i, v in enumerate(document)]
    return {k: replaced(v, keys[1:], new) if k == keys[0] else v for k, v in document.items()}


@dataclass(frozen=True)
class Param:
    where: str  # query, path, form, body
    name: str
    base: str
    field: str  # as the edge names it in a refusal: query.rule, path.ruc, body.movements[0].unit
    keys: tuple[Any, ...] = ()


def api_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, list[Param], Any]]:
    """(method, path template, parameters, example body) of every operation of the schema."""
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            params = [Param(p["in"], p["name"], base_value(p["name"], p.get("schema")), f"{p['in']}.{p['name']}")
                      for p in op.get("parameters", []) if p["in"] in ("query", "path")]
            content = op.get("requestBody", {}).get("content", {})
            body = None
            if "application/json" in content:
                body = example(spec, content["application/json"]["schema"])
                params += [Param("body", name or field.rsplit(".", 1)[-1], "", field, tuple(keys))
                           for field, keys, name in string_leaves(body)]
            yield method.upper(), path, params, body
