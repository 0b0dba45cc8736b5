"""The one rule runner: every kind of rule (detection, port targeting, field checks) fails the
same way, names the rule, checks its columns and reports progress."""

from __future__ import annotations

from datetime import date

import pytest

from traza.detect.engines import native_engine
from traza.detect.kinds import RuleFailed
from traza.detect.runner import DETECTION
from traza.field.checks import FIELD, default_checks
from traza.field.checks import find as field_find
from traza.ports.rules_catalogue import default_port_rules
from traza.ports.runner import TARGETING
from traza.ports.runner import find as port_find
from traza.store.db import Database


def test_a_failing_field_check_is_named_like_any_rule(db: Database) -> None:
    check = default_checks()[0]
    broken = check.model_copy(update={"sql": "SELECT * FROM no_such_table"})
    engine = native_engine(db)
    try:
        with pytest.raises(RuleFailed, match=f"field check {check.id} \\(v{check.version}\\) failed on {db.dialect}"):
            field_find(engine, db, date(2025, 6, 30), (broken,))
    finally:
        engine.close()


def test_a_port_rule_with_other_columns_is_refused(db: Database) -> None:
    rule = default_port_rules()[0]
    wrong = rule.model_copy(update={"sql": "SELECT 'c' AS call_id, 'x' AS box, 1.0 AS strength, NULL AS detail"})
    engine = native_engine(db)
    try:
        with pytest.raises(ValueError, match=f"port rule {rule.id} returns .*expected the columns"):
            port_find(engine, [wrong])
    finally:
        engine.close()


def test_progress_counts_every_table_and_rule_once(db: Database) -> None:
    from traza.detect.catalogue import default_rules
    from traza.detect.kinds import run_rules

    seen: list[tuple[str, int, int]] = []
    rules = list(default_rules().rules[:2])
    engine = native_engine(db)
    try:
        run_rules(DETECTION, engine, rules, date(2025, 6, 30), progress=lambda w, i, n: seen.append((w, i, n)))
    finally:
        engine.close()
    steps = seen[0][2]
    assert [i for _, i, _ in seen] == list(range(steps + 1))
    assert [w for w, _, _ in seen[-3:-1]] == [f"rule {r.id}" for r in rules] and seen[-1][0] == "done"


def test_each_kind_names_the_tables_spark_must_export() -> None:
    assert DETECTION.sources == () and FIELD.sources == ()
    assert "port_manifests" in TARGETING.sources
