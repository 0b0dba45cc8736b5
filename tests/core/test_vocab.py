"""Each vocabulary (roles, outcomes, severities, inferred roles) is written once, in core/vocab.py: a tuple,
list, set or Literal that spells out a whole vocabulary anywhere else in src/ fails here. So
does a group of roles spelled out elsewhere (a role name in a tuple, list, set or a
``require(...)``/``frozenset(...)`` call): the groups are named once, in core/vocab.py."""

from __future__ import annotations

import ast
from pathlib import Path

from traza.core.vocab import INFERRED_ROLES, OUTCOMES, ROLES, SEVERITIES

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


# calls whose string arguments are a group of roles
GROUP_CALLS = {"require", "write", "frozenset", "set", "tuple"}


def _role_groups(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        elements: list[ast.expr] = []
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elements = node.elts
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in GROUP_CALLS:
                elements = node.args
        if any(isinstance(e, ast.Constant) and e.value in ROLES for e in elements):
            lines.append(getattr(node, "lineno", 0))
    return lines


def _trees() -> dict[str, ast.AST]:
    return {path.relative_to(SRC).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in SRC.rglob("*.py")}


def test_no_vocabulary_is_written_twice() -> None:
    found = {}
    for rel, tree in _trees().items():
        if rel in HOME:
            continue
        for name, words in (("roles", ROLES), ("outcomes", OUTCOMES), ("severities", SEVERITIES),
                            ("inferred roles", INFERRED_ROLES)):
            if lines := _spelled_out(tree, words):
                found[f"{rel} ({name})"] = lines
    assert found == {}, f"import the vocabulary from traza.core.vocab instead: {found}"


def test_the_scan_sees_a_second_definition() -> None:
    copy = ast.parse('Sev = Literal["low", "medium", "high", "critical"]\nR = ("x",)')
    assert _spelled_out(copy, SEVERITIES) == [1]
    assert _spelled_out(copy, ROLES) == []


def test_role_groups_are_named_in_vocab() -> None:
    found = {rel: lines for rel, tree in _trees().items() if rel != "core/vocab.py" and (lines := _role_groups(tree))}
    assert found == {}, f"name the role group in traza.core.vocab and import it: {found}"


def test_the_scan_sees_a_role_group() -> None:
    copy = ast.parse('A = ("supervisor",)\nB = frozenset({"analyst"})\nC = deps.require("auditor")\n'
                     'D = role == "admin"\nE = ("operator",)')
    assert sorted(_role_groups(copy)) == [1, 2, 3]
