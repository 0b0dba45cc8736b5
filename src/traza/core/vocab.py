"""The words the product shares across layers: staff roles, alert outcomes, severities.

Each is written once here so the API schemas, web forms, services and rules cannot drift apart;
tests/core/test_vocab.py fails if the literals are spelled out again elsewhere in src/, or if
a group of roles is (the groups below are what routes, pages and workflow rules admit).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Role = Literal["registrar", "analyst", "supervisor", "auditor", "admin"]
ROLES: Final[tuple[str, ...]] = get_args(Role)
# The groups of roles that the API's and the web's dependencies, the page templates and the
# case and alert workflow admit.
REGISTRARS: Final = ("registrar",)
SUPERVISORS: Final = ("supervisor",)
AUDITORS: Final = ("auditor",)
ADMINS: Final = ("admin",)
# who may be given alerts and cases, and work them
WORKER_ROLES: Final = ("analyst", "supervisor")
ALERT_READERS: Final = (*WORKER_ROLES, *AUDITORS)
REGISTRY_READERS: Final = (*REGISTRARS, *ALERT_READERS)

Outcome = Literal["false_positive", "useful", "confirmed_diversion"]
OUTCOMES: Final[tuple[str, ...]] = get_args(Outcome)
# An outcome counts toward a rule's precision when the alert was worth an analyst's time.
TRUE_OUTCOMES: Final = ("useful", "confirmed_diversion")

# How an investigation ended: a case closes with one of these (asked for with the closure,
# kept when a supervisor approves it).
CaseOutcome = Literal["confirmed_diversion", "referred", "no_diversion", "insufficient_evidence"]
CASE_OUTCOMES: Final[tuple[str, ...]] = get_args(CaseOutcome)
# Closing a case may close its alerts that are still open with the alert outcome its own
# outcome means, so that the case's verdict feeds each rule's precision. Insufficient
# evidence says nothing about whether the alerts were worth the time: they stay open (None),
# neither a true nor a false positive, for the queue to decide on.
CASE_ALERT_OUTCOME: Final[dict[str, str | None]] = {
    "confirmed_diversion": "confirmed_diversion",
    "referred": "useful",
    "no_diversion": "false_positive",
    "insufficient_evidence": None,
}

# The role an operator plays in a chemical, inferred from what it did (detection's base table
# d_role), not from its declared sector: peer-relative rules compare like with like. The last
# is what an operator with no acquisitions to judge by is taken for.
InferredRole = Literal["importer", "producer", "distributor", "end_user"]
INFERRED_ROLES: Final[tuple[str, ...]] = get_args(InferredRole)
DEFAULT_ROLE: Final = "end_user"

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: Final[tuple[str, ...]] = get_args(Severity)
