"""A case's timeline in words: each case_log row (cases.get's history) as one translated
sentence, with the note and outcome it carries, never a raw action code."""

from __future__ import annotations

from typing import Any

from traza.web.i18n import translate


def _status_key(previous: str, target: str) -> str:
    if target == "investigating" and previous == "closure_requested":
        return "tl.status.returned"
    if target == "investigating" and previous == "closed":
        return "tl.status.reopened"
    return f"tl.status.{target}"


def _value(lang: str, action: str, value: str | None) -> str | None:
    if value is None:
        return None
    if action == "refer":
        return translate(lang, f"case.referral.{value}")
    return value


def events(lang: str, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with ``text``: what happened, in words ("Cierre solicitado: diversión
    confirmada — <note>"). Rows are in the order they were recorded."""
    out, status = [], "open"
    for h in history:
        action, value = str(h["action"]), h.get("value")
        note, outcome = h.get("note"), h.get("outcome")
        if action == "status":
            head, detail = translate(lang, _status_key(status, str(value))), None
            status = str(value)
            if outcome:
                detail = translate(lang, f"case_outcome.{outcome}")
        elif action == "close_alerts":
            head = translate(lang, "tl.close_alerts")
            detail = f"{value} ({translate(lang, f'outcome.{outcome}')})" if outcome else value
        else:
            head, detail = translate(lang, f"tl.{action}"), _value(lang, action, value)
        text = f"{head}: {detail}" if detail else head
        if note:
            text = f"{text} — {note}"
        out.append({**h, "text": text})
    return out
