"""The case and alert rules in the services themselves (cases/cases.py, cases/alerts.py), on
DuckDB and PostgreSQL: a case closes with an outcome, asked for with a note and approved by a
supervisor, who may close its open alerts with the alert outcome it means; an alert closes
with an outcome, and a false positive with a note saying why."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.factories import BUYER
from traza.cases import alerts, cases
from traza.cases.workflow import Required
from traza.core.vocab import CASE_ALERT_OUTCOME, CASE_OUTCOMES, OUTCOMES
from traza.store import Database


def _alert(db: Database, alert_id: str) -> str:
    now = datetime.now(UTC).replace(tzinfo=None)
    db.execute("INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, first_detected_at, detected_at) "
               "VALUES (?, 'quota_exceeded', 1, 'high', 0.5, ?, ?, ?)", (alert_id, BUYER, now, now))
    return alert_id


def _case(db: Database, *alert_ids: str) -> int:
    return cases.create(db, "staff:a", "Minera", [_alert(db, a) for a in alert_ids], None)


def _v(db: Database, case_id: int) -> int:
    return cases.current(db, case_id).version


def _ask(db: Database, case_id: int, outcome: str, note: str = "checked the books") -> None:
    cases.transition(db, "staff:a", "analyst", case_id, "closure_requested", note, _v(db, case_id), outcome)


def test_the_outcomes_are_one_vocabulary() -> None:
    assert CASE_OUTCOMES == ("confirmed_diversion", "referred", "no_diversion", "insufficient_evidence")
    assert set(CASE_ALERT_OUTCOME) == set(CASE_OUTCOMES)
    assert {o for o in CASE_ALERT_OUTCOME.values() if o} <= set(OUTCOMES)


def test_asking_for_closure_needs_an_outcome_and_a_note(db: Database) -> None:
    case_id = _case(db)
    before = _v(db, case_id)
    for outcome, note, field in ((None, "why", "outcome"), ("closed_somehow", "why", "outcome"),
                                 ("no_diversion", None, "note"), ("no_diversion", "  ", "note")):
        with pytest.raises(Required) as refused:
            cases.transition(db, "staff:a", "analyst", case_id, "closure_requested", note, before, outcome)
        assert refused.value.field == field and str(refused.value).startswith(f"{field}:")
    assert _v(db, case_id) == before and cases.current(db, case_id).status == "open"  # nothing written
    _ask(db, case_id, "no_diversion", "the buyer's stock matches")
    case = cases.get(db, case_id)
    assert case is not None and case["status"] == "closure_requested" and case["outcome"] == "no_diversion"
    last = case["history"][-1]
    assert (last["action"], last["value"], last["note"], last["outcome"]) == (
        "status", "closure_requested", "the buyer's stock matches", "no_diversion")
    event = db.dicts("SELECT payload FROM events WHERE action = 'case.status' ORDER BY event_id DESC LIMIT 1")[0]
    assert "the buyer's stock matches" in event["payload"] and "no_diversion" in event["payload"]


def test_returning_a_request_needs_a_reason_and_clears_the_outcome(db: Database) -> None:
    case_id = _case(db)
    _ask(db, case_id, "insufficient_evidence")
    with pytest.raises(Required) as refused:
        cases.transition(db, "staff:s", "supervisor", case_id, "investigating", None, _v(db, case_id))
    assert refused.value.field == "note"
    assert cases.current(db, case_id).status == "closure_requested"
    cases.transition(db, "staff:s", "supervisor", case_id, "investigating", "ask the port", _v(db, case_id))
    case = cases.get(db, case_id)
    assert case is not None and case["status"] == "investigating" and case["outcome"] is None
    assert case["history"][-1]["note"] == "ask the port"


def test_approval_keeps_the_requested_outcome(db: Database) -> None:
    case_id = _case(db)
    _ask(db, case_id, "confirmed_diversion")
    from traza.cases.cases import CaseProblem
    with pytest.raises(CaseProblem, match="requested with outcome confirmed_diversion"):
        cases.transition(db, "staff:s", "supervisor", case_id, "closed", None, _v(db, case_id), "no_diversion")
    cases.transition(db, "staff:s", "supervisor", case_id, "closed", "agreed", _v(db, case_id))
    case = cases.get(db, case_id)
    assert case is not None and case["status"] == "closed" and case["outcome"] == "confirmed_diversion"
    assert [c["outcome"] for c in cases.list_cases(db, "closed", None, 10, 0)] == ["confirmed_diversion"]
    # reopening clears it: the case is being worked again
    cases.transition(db, "staff:s", "supervisor", case_id, "investigating", None, _v(db, case_id))
    assert (cases.state(db, case_id) or {})["outcome"] is None


@pytest.mark.parametrize(("outcome", "alert_outcome"), [("confirmed_diversion", "confirmed_diversion"),
                                                        ("referred", "useful"), ("no_diversion", "false_positive")])
def test_approval_closes_the_open_alerts_with_the_mapped_outcome(db: Database, outcome: str, alert_outcome: str) -> None:
    case_id = _case(db, "A-1", "A-2", "A-3")
    alerts.act(db, "staff:s", "supervisor", "A-3", "close", "useful", version=0)  # closed before: kept
    alerts.act(db, "staff:a", "analyst", "A-2", "close", "useful", version=0)  # waiting: the case decides
    _ask(db, case_id, outcome)
    cases.transition(db, "staff:s", "supervisor", case_id, "closed", None, _v(db, case_id), close_alerts=True)
    got = {a: (alerts.get_alert(db, a) or {}) for a in ("A-1", "A-2", "A-3")}
    assert {a: (x["status"], x["outcome"]) for a, x in got.items()} == {
        "A-1": ("closed", alert_outcome), "A-2": ("closed", alert_outcome), "A-3": ("closed", "useful")}
    # one transaction, one audit log: the case's closure, then each alert's, then the case's record of it
    actions = [r[0] for r in db.query("SELECT action FROM events WHERE actor = 'staff:s' ORDER BY event_id")][1:]
    assert actions == ["case.status", "alert.approve_close", "alert.approve_close", "case.close_alerts"]
    case = cases.get(db, case_id)
    assert case is not None and case["history"][-1]["value"] == "A-1, A-2"
    assert case["history"][-1]["outcome"] == alert_outcome and case["version"] == _v(db, case_id)
    # they count toward the rule's precision
    perf = alerts.rule_performance(db, date.today(), date.today())[0]
    assert perf["closed"] == 3 and perf[alert_outcome] == 2 + (alert_outcome == "useful")


def test_approval_leaves_the_alerts_alone_unless_asked(db: Database) -> None:
    case_id = _case(db, "A-1")
    _ask(db, case_id, "confirmed_diversion")
    cases.transition(db, "staff:s", "supervisor", case_id, "closed", None, _v(db, case_id), close_alerts=False)
    assert (alerts.get_alert(db, "A-1") or {})["status"] == "open"
    other = _case(db, "B-1")
    _ask(db, other, "insufficient_evidence")  # says nothing of the alerts: they stay open
    cases.transition(db, "staff:s", "supervisor", other, "closed", None, _v(db, other), close_alerts=True)
    assert (alerts.get_alert(db, "B-1") or {})["status"] == "open"
    assert [h["action"] for h in (cases.get(db, other) or {})["history"]][-1] == "status"


def test_an_alert_closes_with_an_outcome_and_a_false_positive_with_a_note(db: Database) -> None:
    _alert(db, "A-1")
    for outcome, note, field in ((None, "why", "outcome"), ("", "why", "outcome"), ("maybe", None, "outcome"),
                                 ("false_positive", None, "note"), ("false_positive", " ", "note")):
        with pytest.raises(Required) as refused:
            alerts.act(db, "staff:a", "analyst", "A-1", "close", outcome, note, version=0)
        assert refused.value.field == field
    assert alerts.current(db, "A-1").version == 0  # nothing written
    assert alerts.act(db, "staff:a", "analyst", "A-1", "close", "false_positive", "a known importer",
                      version=0) == "pending_approval"
    assert alerts.act(db, "staff:a", "analyst", _alert(db, "A-2"), "close", "useful", version=0) == "pending_approval"
