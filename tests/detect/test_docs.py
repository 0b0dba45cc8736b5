"""docs/rules.md says what the rule files say."""

from __future__ import annotations

from traza.detect.catalogue import default_rules
from traza.detect.docs import PAGE, render


def test_rules_page_is_generated_from_the_rule_files() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), "run: python -m traza.detect.docs"


def test_every_rule_is_documented_in_both_languages() -> None:
    page = render()
    for r in default_rules().rules:
        assert f"## {r.id}" in page
        assert r.title.es in page and r.title.en in page
