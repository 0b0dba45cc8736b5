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


def test_supervisors_mode_switch_overrides_the_rule_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from traza.detect.runner import _with_modes
    from traza.store import open_database

    rules = list(default_rules().rules)
    live = next(r for r in rules if not r.shadow)
    with open_database(f"duckdb:///{tmp_path / 'm.duckdb'}") as db:
        assert _with_modes(db, rules) == rules
        cols = [r[0] for r in db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'rule_modes'")]
        values = {"rule_id": live.id, "shadow": True, "recorded_at": datetime.now(UTC).replace(tzinfo=None),
                  "actor": "supervisor", "event_id": 1}
        db.execute(f"INSERT INTO rule_modes ({', '.join(c for c in cols if c in values)}) "
                   f"VALUES ({', '.join('?' for c in cols if c in values)})", [values[c] for c in cols if c in values])
        switched = {r.id: r.shadow for r in _with_modes(db, rules)}
    assert switched[live.id] is True
