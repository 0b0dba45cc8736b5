"""Each vocabulary (roles, outcomes, severities) is written once, in core/vocab.py: a tuple,
list, set or Literal that spells out a whole vocabulary anywhere else in src/ fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from traza.core.vocab import OUTCOMES, ROLES, SEVERITIES

SRC = Path(__file__).resolve().parents[2] / "src" / "traza"
HOME = {"core/vocab.py", "web/i18n.py"}  # the definitions, and their translations


def _spelled_out(tree: ast.AST, words: tuple[str, ...]) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        elements: list[ast.expr] = []
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elements = node.elts
        consts = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        if set(words) <= consts:
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_no_vocabulary_is_written_twice() -> None:
    found = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel in HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, words in (("roles", ROLES), ("outcomes", OUTCOMES), ("severities", SEVERITIES)):
            if lines := _spelled_out(tree, words):
                found[f"{rel} ({name})"] = lines
    assert found == {}, f"import the vocabulary from traza.core.vocab instead: {found}"


def test_the_scan_sees_a_second_definition() -> None:
    copy = ast.parse('Sev = Literal["low", "medium", "high", "critical"]\nR = ("x",)')
    assert _spelled_out(copy, SEVERITIES) == [1]
    assert _spelled_out(copy, ROLES) == []
