"""Who may move an alert or a case from one status to another (pure)."""

from __future__ import annotations

from typing import Final, Literal, get_args

from traza.core.vocab import SUPERVISORS, WORKER_ROLES

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
