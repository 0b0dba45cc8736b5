"""Analysts' work: the audit log, alert triage and cases, as views over append-only rows."""
