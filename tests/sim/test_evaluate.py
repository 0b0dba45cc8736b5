"""Scoring on a hand-made truth, alert list and ranking."""

from __future__ import annotations

from datetime import date

import pytest

from traza.sim.evaluate import Alert, RiskEntry, TruthScheme, parse_truth, score, touches

A, B, C, D, E, X, Y = "20000000001", "20000000002", "20000000003", "20000000004", "20000000005", "20999999991", "20999999992"

TRUTH = [
    {"scheme_id": "S0001", "typology": "skimming", "ruc": A, "role": "skimmer", "declaration_ids": "D1;D2",
     "first_date": "2025-03-01", "last_date": "2025-06-30", "file": "", "line": "", "column": ""},
    {"scheme_id": "S0002", "typology": "relay_chain", "ruc": B, "role": "origin", "declaration_ids": "D3",
     "first_date": "2025-01-01", "last_date": "2025-02-28", "file": "", "line": "", "column": ""},
    {"scheme_id": "S0002", "typology": "relay_chain", "ruc": C, "role": "relay", "declaration_ids": "D3",
     "first_date": "2025-01-01", "last_date": "2025-02-28", "file": "", "line": "", "column": ""},
    {"scheme_id": "S0003", "typology": "skimming", "ruc": D, "role": "skimmer", "declaration_ids": "D9",
     "first_date": "2025-09-01", "last_date": "2025-10-31", "file": "", "line": "", "column": ""},
    {"scheme_id": "X0000001", "typology": "dirty", "ruc": E, "role": "bad_ruc", "declaration_ids": "D99",
     "first_date": "2025-01-05", "last_date": "2025-01-05", "file": "movements.csv", "line": "101",
     "column": "declarant_ruc"},
]


def _a(i: int, rule: str, ruc: str, start: str | None, end: str | None, shadow: bool = False) -> Alert:
    return Alert(f"a{i}", rule, ruc, date.fromisoformat(start) if start else None,
                 date.fromisoformat(end) if end else None, shadow)


@pytest.fixture
def schemes() -> list[TruthScheme]:
    return parse_truth(TRUTH)


def test_parse_truth_groups_members_and_drops_dirty_rows(schemes: list[TruthScheme]) -> None:
    assert [s.scheme_id for s in schemes] == ["S0001", "S0002", "S0003"]
    assert schemes[1].members == frozenset({B, C})
    assert schemes[0].first == date(2025, 3, 1) and schemes[0].last == date(2025, 6, 30)


def test_an_alert_touches_a_scheme_by_member_and_overlapping_period(schemes: list[TruthScheme]) -> None:
    s1 = schemes[0]
    assert touches(_a(1, "r", A, "2025-06-01", "2025-06-30"), s1)
    assert touches(_a(1, "r", A, "2025-01-01", "2025-03-01"), s1)  # overlap on a single day
    assert not touches(_a(1, "r", A, "2025-07-01", "2025-07-31"), s1)  # after the scheme
    assert not touches(_a(1, "r", B, "2025-04-01", "2025-04-30"), s1)  # not a member
    assert touches(_a(1, "r", A, None, None), s1)  # an open period is unbounded


def test_catches_precision_and_top_k(schemes: list[TruthScheme]) -> None:
    alerts = [
        _a(1, "quantity_mismatch", A, "2025-04-01", "2025-04-30"),  # catches S0001
        _a(2, "quantity_mismatch", A, "2025-05-01", "2025-05-31"),  # catches S0001 again
        _a(3, "quantity_mismatch", X, "2025-04-01", "2025-04-30"),  # false alarm
        _a(4, "chain_to_zone", C, "2025-02-01", "2025-03-31"),      # catches S0002
        _a(5, "chain_to_zone", D, "2025-01-01", "2025-01-31"),      # member, wrong period
        _a(6, "new_rule", D, "2025-10-01", "2025-10-31", shadow=True),  # shadow: not counted live
    ]
    ranking = [RiskEntry(A, 1, 9.0), RiskEntry(X, 2, 8.0), RiskEntry(C, 3, 7.0), RiskEntry(Y, 4, 6.0),
               RiskEntry(B, 5, 5.0), RiskEntry(D, 6, 4.0)]
    ev = score(schemes, alerts, ranking, run_id=7)
    by = {t.typology: t for t in ev.typologies}
    assert (by["skimming"].schemes, by["skimming"].caught, by["skimming"].caught_in_shadow) == (2, 1, 1)
    assert by["skimming"].share == 0.5
    assert (by["relay_chain"].schemes, by["relay_chain"].caught) == (1, 1)
    assert "dirty" not in by
    assert (ev.schemes, ev.caught) == (3, 2)
    assert (ev.alerts, ev.true_alerts, ev.shadow_alerts) == (5, 3, 1)
    assert ev.precision == pytest.approx(0.6)
    rules = {r.rule: r for r in ev.rules}
    assert rules["quantity_mismatch"].precision == pytest.approx(2 / 3)
    assert rules["chain_to_zone"].precision == pytest.approx(0.5)
    # K = 4 involved operators (A, B, C, D); the top 4 hold A and C.
    assert ev.k == 4 and ev.hits == 2 and ev.run_id == 7
    assert ev.precision_at_k == 0.5 and ev.recall_at_k == 0.5
    d = ev.as_dict()
    assert d["operators"] == {"k": 4, "run_id": 7, "ranked": 6, "hits": 2, "precision_at_k": 0.5, "recall_at_k": 0.5}


def test_nothing_detected_scores_zero_honestly(schemes: list[TruthScheme]) -> None:
    ev = score(schemes, [], [])
    assert (ev.caught, ev.alerts, ev.precision, ev.hits, ev.precision_at_k, ev.recall_at_k) == (0, 0, 0.0, 0, 0.0, 0.0)
    assert ev.k == 4 and ev.schemes == 3 and all(t.share == 0.0 for t in ev.typologies)


def test_a_short_ranking_is_judged_on_what_it_ranks(schemes: list[TruthScheme]) -> None:
    ev = score(schemes, [], [RiskEntry(B, 1), RiskEntry(X, 2)])
    assert ev.precision_at_k == 0.5 and ev.recall_at_k == 0.25
