"""docs/architecture.md's layout block is the one scripts/layout.py prints from the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "layout.py"


def _layout() -> ModuleType:
    spec = importlib.util.spec_from_file_location("layout", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_layout_section_is_generated_from_the_current_tree() -> None:
    layout = _layout()
    assert layout.current() == layout.block(), (
        "docs/architecture.md's layout is out of date: run python scripts/layout.py --write"
    )


def test_every_module_of_the_tree_is_in_the_layout() -> None:
    layout = _layout()
    text = layout.current()
    for path in layout.SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "__init__.py":
            continue
        assert f" {path.name} " in text, path


def test_a_new_module_would_make_the_page_stale(tmp_path: Path) -> None:
    layout = _layout()
    pkg = tmp_path / "core"
    pkg.mkdir()
    (pkg / "__init__.py").write_text('"""The core. More words."""\n', encoding="utf-8")
    (pkg / "a.py").write_text('"""First module.\n\nDetails."""\nQ = "SELECT 1"\n', encoding="utf-8")
    before = layout.render(tmp_path)
    assert "core/" in before and "First module." in before and "Details" not in before
    assert "SQL (as string literals) lives in: core." in before
    (pkg / "b.py").write_text('"""Second module."""\n', encoding="utf-8")
    assert "b.py" in layout.render(tmp_path) and layout.render(tmp_path) != before
