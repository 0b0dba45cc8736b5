"""The rule catalogue: every rule file validates and has its test; a broken file is named
with its entry and field; parameters render as literals."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from traza.core.errors import CatalogueError
from traza.detect.catalogue import RULES_DIR, default_rules, load_rules

RULE_TESTS = Path(__file__).resolve().parent / "rules"


def test_every_rule_file_validates_and_is_named_by_its_id() -> None:
    files = sorted(p.stem for p in RULES_DIR.glob("*.yaml"))
    rules = load_rules()
    assert [r.id for r in rules.rules] == files
    assert len(files) >= 21
    for r in rules.rules:
        assert r.title.es and r.title.en and r.explanation.es and r.explanation.en


def test_every_rule_file_has_its_test_file() -> None:
    missing = [p.name for p in RULES_DIR.glob("*.yaml") if not (RULE_TESTS / f"test_{p.stem}.py").is_file()]
    assert missing == [], f"each rule needs tests/detect/rules/test_<id>.py: {missing}"
    orphans = [p.name for p in RULE_TESTS.glob("test_*.py") if not (RULES_DIR / f"{p.stem[5:]}.yaml").is_file()]
    assert orphans == [], f"tests of rules that no longer exist: {orphans}"


def test_live_and_shadow_rules() -> None:
    rules = default_rules()
    shadow = {r.id for r in rules.rules if r.shadow}
    assert shadow and {r.id for r in rules.live} == {r.id for r in rules.rules} - shadow


def test_unknown_rule_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="no_such_rule"):
        default_rules().get("no_such_rule")


def _copy(tmp_path: Path, rule_id: str = "quota_exceeded", name: str | None = None, **changes: object) -> Path:
    raw = yaml.safe_load((RULES_DIR / f"{rule_id}.yaml").read_text(encoding="utf-8"))
    raw.update(changes)
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / (name or f"{rule_id}.yaml")).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_good_copy_loads(tmp_path: Path) -> None:
    assert [r.id for r in load_rules(_copy(tmp_path)).rules] == ["quota_exceeded"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"severity": "urgent"}, "severity", "low"),
    ({"weight": 1.5}, "weight", "less than or equal to 1"),
    ({"sql": "DELETE FROM alerts WHERE true"}, "sql", "must be a SELECT"),
    ({"sql": "SELECT ruc FROM d_mov WHERE quantity_kg > {limit_kg}"}, "-", "undeclared parameters ['limit_kg']"),
    ({"title": {"es": "Solo español"}}, "title.en", "Field required"),
    ({"colour": "red"}, "colour", "Extra inputs"),
])
def test_a_broken_rule_file_names_file_entry_and_field(tmp_path: Path, changes: dict[str, object],
                                                        field: str, words: str) -> None:
    with pytest.raises(CatalogueError) as err:
        load_rules(_copy(tmp_path, **changes))
    assert (err.value.file, err.value.entry, err.value.field) == ("quota_exceeded.yaml", "quota_exceeded", field)
    assert words in err.value.problem
    assert str(err.value).startswith("quota_exceeded.yaml: entry quota_exceeded: field")


def test_a_file_named_otherwise_than_its_id(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as err:
        load_rules(_copy(tmp_path, name="quota.yaml"))
    assert (err.value.file, err.value.entry, err.value.field) == ("quota.yaml", "quota_exceeded", "id")
    assert "quota_exceeded.yaml" in err.value.problem


def test_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_rules(tmp_path)
    assert err.value.file == "bad.yaml" and "not valid YAML" in err.value.problem


def test_render_fills_parameters_and_the_date() -> None:
    rule = default_rules().get("quota_warning")
    sql = rule.render("2025-06-30")
    assert "{share}" not in sql and "{as_of}" not in sql
    assert "DATE '2025-06-30'" in sql and "0.8 * q.quota_kg" in sql
    assert "0.9 * q.quota_kg" in rule.render("2025-06-30", {"share": 0.9})
    # whole numbers render without a decimal point (they may be day counts in INTERVALs)
    assert "INTERVAL 45 DAY" in default_rules().get("circular_trade").render("2025-06-30")

