"""docs/ports-rules.md says what the port rule files say; the catalogue refuses broken rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from traza.core.errors import CatalogueError
from traza.ports.docs import PAGE, render
from traza.ports.rules_catalogue import default_port_rules, load_port_rules


def test_page_is_generated_from_the_rule_files() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), "run: python -m traza.ports.docs"


def test_every_rule_is_documented_in_both_languages_with_a_method() -> None:
    page = render()
    rules = default_port_rules()
    assert len(rules) >= 18
    for r in rules:
        assert f"## {r.id}" in page and r.title.es in page and r.title.en in page
        assert r.methods
    assert {m for r in rules for m in r.methods} == {"k9", "scanner", "physical", "diver"}


def test_broken_rule_files_are_refused(tmp_path: Path) -> None:
    src = (Path(__file__).parents[2] / "src/traza/ports/rules/reefer_to_europe.yaml").read_text(encoding="utf-8")
    (tmp_path / "reefer_to_europe.yaml").write_text(src.replace("methods: [k9]", "methods: [xray]"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="methods"):
        load_port_rules(tmp_path)
    (tmp_path / "reefer_to_europe.yaml").write_text(src.replace("l.reefer", "l.reefer AND {nope}"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="nope"):
        load_port_rules(tmp_path)
    (tmp_path / "reefer_to_europe.yaml").unlink()
    (tmp_path / "other.yaml").write_text(src, encoding="utf-8")
    with pytest.raises(CatalogueError, match="named"):
        load_port_rules(tmp_path)
