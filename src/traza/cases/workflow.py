"""Who may move an alert or a case from one status to another (pure)."""

from __future__ import annotations

from typing import Final, Literal, get_args

from traza.core.vocab import CASE_OUTCOMES, OUTCOMES, SUPERVISORS, WORKER_ROLES

AlertStatus = Literal["open", "pending_approval", "closed"]
ALERT_STATUSES: Final[tuple[str, ...]] = get_args(AlertStatus)
CaseStatus = Literal["open", "investigating", "referred", "closure_requested", "closed"]
CASE_STATUSES: Final[tuple[str, ...]] = get_args(CaseStatus)
Referral = Literal["police", "inspection"]
REFERRALS: Final[tuple[str, ...]] = get_args(Referral)

# (from, to) -> roles allowed. Analysts work a case and ask for its closure; a supervisor
# approves the closure (or sends it back) and may reopen a closed case.
CASE_TRANSITIONS: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("open", "investigating"): frozenset(WORKER_ROLES),
    ("investigating", "referred"): frozenset(WORKER_ROLES),
    ("open", "closure_requested"): frozenset(WORKER_ROLES),
    ("investigating", "closure_requested"): frozenset(WORKER_ROLES),
    ("referred", "closure_requested"): frozenset(WORKER_ROLES),
    ("closure_requested", "closed"): frozenset(SUPERVISORS),
    ("closure_requested", "investigating"): frozenset(SUPERVISORS),
    ("closed", "investigating"): frozenset(SUPERVISORS),
}


class Required(ValueError):
    """A change lacks a value it needs. ``field`` is the input's name (the API's 422 names it),
    ``key`` the web's message for it (web/i18n_cases.py), shown beside the form kept as sent."""

    def __init__(self, field: str, key: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.key, self.message = field, key, message


def case_input_problem(current: str, target: str, outcome: str | None, note: str | None) -> Required | None:
    """What a case's move needs beyond the role: asking for closure names the case's outcome
    and says why in a note; sending a closure request back to investigating gives the reason."""
    if target == "closure_requested":
        if outcome not in CASE_OUTCOMES:
            return Required("outcome", "required.case_outcome",
                            f"asking to close a case needs its outcome, one of {', '.join(CASE_OUTCOMES)}"
                            + (f" (got {outcome!r})" if outcome else ""))
        if not (note or "").strip():
            return Required("note", "required.closure_note", "asking to close a case needs a note saying why")
    if current == "closure_requested" and target == "investigating" and not (note or "").strip():
        return Required("note", "required.return_reason",
                        "returning a closure request to investigating needs the reason, in the note")
    return None


def alert_close_problem(outcome: str | None, note: str | None) -> Required | None:
    """Closing an alert names its outcome; calling it a false positive also says why."""
    if outcome not in OUTCOMES:
        return Required("outcome", "required.alert_outcome",
                        f"closing an alert needs an outcome, one of {', '.join(OUTCOMES)}"
                        + (f" (got {outcome!r})" if outcome else ""))
    if outcome == "false_positive" and not (note or "").strip():
        return Required("note", "required.false_positive_note",
                        "closing an alert as a false positive needs a note saying why")
    return None


def case_transition_problem(current: str, target: str, role: str) -> str | None:
    """None when ``role`` may move a case from ``current`` to ``target``, else why not."""
    if current == target:
        return f"the case is already {current}"
    roles = CASE_TRANSITIONS.get((current, target))
    if roles is None:
        allowed = sorted(t for (f, t) in CASE_TRANSITIONS if f == current)
        return f"a case cannot go from {current} to {target}; from {current} it can go to {', '.join(allowed)}"
    if role not in roles:
        return f"moving a case from {current} to {target} needs a {' or '.join(sorted(roles))}"
    return None


def alert_action_problem(status: str, action: str, role: str) -> str | None:
    """None when ``role`` may apply ``action`` (close, approve, reject, reopen) to an alert."""
    if action == "close":
        if status != "open":
            return f"the alert is {status}: only an open alert can be closed"
        return None
    if action in ("approve", "reject"):
        if role not in SUPERVISORS:
            return "approving or rejecting a closure needs a supervisor"
        if status != "pending_approval":
            return f"the alert is {status}: there is no closure waiting for approval"
        return None
    if action == "reopen":
        if role not in SUPERVISORS:
            return "reopening an alert needs a supervisor"
        if status != "closed":
            return f"the alert is {status}: only a closed alert can be reopened"
        return None
    return f"unknown action {action!r}"
