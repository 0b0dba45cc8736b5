"""Property tests of the CSV manifest and port-event readers: random mutations of a valid file
(hostile characters included) are accepted or refused naming file, line and column; nothing
else is ever raised, and what is accepted holds no control or invisible character."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ports.test_cuscar_props import HOSTILE
from tests.ports.test_hostile import ROW, csv_text
from traza.ports.csv_manifest import read_events, read_manifests
from traza.ports.errors import PortDataRefused

SEED = csv_text(ROW) + csv_text({**ROW, "container_no": "CSQU3054384", "item_no": "2"}).split("\n", 1)[1]
EVENTS = "container_no,event_type,occurred_at,port,vessel_name,voyage,direction,location,detail\n" \
         "CSQU3054383,gate_in,2025-06-01T08:00,PECLL,MSC ALFA,101E,export,GATE 3,truck ABC-123\n"
CHARS = st.sampled_from(list(",\"\n;:-. 0123456789AZaz") + HOSTILE)


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> str:
    text = seed
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i, min(len(text), i + 30)))
        op = draw(st.sampled_from(("delete", "insert", "duplicate", "replace", "widen")))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(CHARS, max_size=8)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(st.text(CHARS, min_size=1, max_size=6)) + text[j:]
        else:  # a huge cell
            text = text[:i] + "X" * draw(st.sampled_from([40, 600, 3000, 140_000])) + text[i:]
    return text


def _check(tmp: Path, text: str, encoding: str, reader: object) -> None:
    path = tmp / "fuzz.csv"
    path.write_bytes(text.encode(encoding, "replace"))
    try:
        out = reader(path)  # type: ignore[operator]
    except PortDataRefused as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "fuzz.csv" and p.where.startswith("line ") and p.column and p.reason
        return
    body = repr(out)
    for bad in ("\\x00", "\\x07", "\\x1b", "\\u200b", "\\ufeff", "\\u2060", "\\u202e"):
        assert bad not in body


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SEED), st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]))
def test_mutated_manifest_csv_is_accepted_or_refused(tmp_path_factory: pytest.TempPathFactory, text: str,
                                                     encoding: str) -> None:
    _check(tmp_path_factory.mktemp("m"), text, encoding, read_manifests)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(EVENTS), st.sampled_from(["utf-8", "latin-1"]))
def test_mutated_events_csv_is_accepted_or_refused(tmp_path_factory: pytest.TempPathFactory, text: str,
                                                   encoding: str) -> None:
    _check(tmp_path_factory.mktemp("e"), text, encoding, read_events)


def test_an_unnamed_header_column_is_named_by_its_position(tmp_path: Path) -> None:
    header, rest = SEED.split("\n", 1)
    path = tmp_path / "fuzz.csv"
    path.write_text(header + ",\n" + rest, encoding="utf-8")
    with pytest.raises(PortDataRefused) as exc:
        read_manifests(path)
    [p] = exc.value.problems
    assert p.column == f"(column {len(header.split(',')) + 1}, unnamed)" and "unknown columns" in p.reason
