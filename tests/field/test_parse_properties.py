"""Property tests: whatever arrives, the field parsers and validation answer with items or
refusals that carry a reason, never an exception. Seeded with the committed corpus."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traza.field.load import default_context
from traza.field.model import PLOTS, SEEDBEDS
from traza.field.parse import Parsed, parse_csv, parse_geojson
from traza.field.validate import validate

CORPUS = Path(__file__).parent / "corpus"
CTX = default_context(date(2026, 11, 26))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def answered(parsed: Parsed) -> int:
    """Validate every item; check each refusal has a reason. Returns the rows accepted."""
    for p in parsed.problems:
        assert p.reason.strip()
    ok = 0
    for item in parsed.items:
        row, problems = validate(item, CTX)
        assert (row is None) == bool(problems)
        assert all(p.reason.strip() and (p.line is not None or p.column) for p in problems)
        ok += row is not None
    return ok


def test_corpus_is_answered() -> None:
    results = {}
    for path in sorted(CORPUS.iterdir()):
        text = path.read_text(encoding="utf-8")
        parsed = parse_geojson(text) if path.suffix == ".geojson" else parse_csv(text)
        results[path.name] = (answered(parsed), len(parsed.items))
    # (accepted, items): the corpus holds one bad row or feature per file
    assert results == {"operations.csv": (1, 2), "plots.csv": (2, 3), "plots.geojson": (2, 3),
                       "seedbeds.csv": (1, 2)}


def _mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(0, 4))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "dup"]))
        if op == "insert":
            text = text[:i] + data.draw(st.text(max_size=5)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + data.draw(st.integers(1, 8)):]
        else:
            text = text[:i] + text[i:i + 20] + text[i:]
    return text


@SETTINGS
@given(st.data())
def test_mutated_corpus_never_raises(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(sorted(CORPUS.iterdir())))
    text = _mutate(path.read_text(encoding="utf-8"), data)
    answered(parse_geojson(text) if path.suffix == ".geojson" else parse_csv(text))


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_is_answered(text: str) -> None:
    answered(parse_csv(text))
    answered(parse_geojson(text))


cells = st.one_of(st.none(), st.text(max_size=12), st.floats(allow_nan=True).map(str),
                  st.sampled_from(["100601", "2005-04-07", "-9.3", "-76.0", "true", "POLYGON((0 0, 1 1, 1 0, 0 0))",
                                   "-76 -9.3; -75.999 -9.3; -75.999 -9.301", "1e400", "-0"]))


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(list(PLOTS.columns) + ["wkt", "extra"]), cells), max_size=5))
def test_structured_csv_is_answered(rows: list[dict[str, Any]]) -> None:
    header = list(PLOTS.columns)
    lines = [",".join(header)] + [",".join(json.dumps(str(r.get(c) or ""))[1:-1].replace(",", ";") for c in header)
                                   for r in rows]
    answered(parse_csv("\n".join(lines)))


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=8)),
                           lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                  st.dictionaries(st.text(max_size=8), kids, max_size=4)),
                           max_leaves=20)
coords = st.lists(st.lists(st.one_of(st.floats(-80, -70), st.floats(), st.integers()), min_size=0, max_size=3),
                  max_size=6)
geometries = st.one_of(json_values, st.fixed_dictionaries({
    "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "Nope"]),
    "coordinates": st.one_of(coords, st.lists(coords, max_size=3), st.lists(st.lists(coords, max_size=2), max_size=2))}))


@SETTINGS
@given(st.lists(st.fixed_dictionaries({
    "type": st.sampled_from(["Feature", "feature"]), "geometry": geometries,
    "properties": st.one_of(json_values, st.dictionaries(st.sampled_from(list(SEEDBEDS.columns) + ["plot_id",
                                                                                                     "reported_ha"]),
                                                         json_values, max_size=6))}), max_size=4))
def test_structured_geojson_is_answered(features: list[dict[str, Any]]) -> None:
    answered(parse_geojson(json.dumps({"type": "FeatureCollection", "features": features})))
