"""Service exceptions as problems a page shows (the web's counterpart of the API's
``translated``): the service raises, the user reads why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from traza.cases.alerts import AlertProblem
from traza.cases.cases import CaseProblem
from traza.cases.versions import Stale
from traza.cases.workflow import Required
from traza.service.declarations import Unreadable
from traza.service.registry import AlreadyRegistered, RegistryRefused
from traza.web.deps import WebProblem
from traza.web.i18n import MESSAGES, translate


@contextmanager
def shown(what: str, lang: str = "es") -> Iterator[None]:
    try:
        yield
    except Stale as exc:
        raise WebProblem(stale_message(lang, exc), status=409) from exc
    except KeyError as exc:
        raise WebProblem(f"{what}: {exc.args[0] if exc.args else ''} ?", status=404) from exc
    except Required as exc:  # pages that keep the form catch it first (routes/cases.py, alerts.py)
        raise WebProblem(translate(lang, exc.key), status=400) from exc
    except (AlertProblem, CaseProblem) as exc:
        raise WebProblem(str(exc), status=409) from exc
    except AlreadyRegistered as exc:
        raise WebProblem(f"{exc.args[0]}: already registered", status=409) from exc
    except RegistryRefused as exc:
        reasons = "; ".join(f"{r.column}: {r.reason} ({r.value!r})" for r in exc.result.rejections)
        raise WebProblem(f"{exc} — {reasons}", status=400) from exc
    except Unreadable as exc:
        raise WebProblem(str(exc), status=400) from exc


def stale_message(lang: str, exc: Stale) -> str:
    """Someone changed the page's subject since it was drawn: say who, when, and what it is
    now, in the reader's language."""
    c = exc.current
    # Each page's own words for the status (alert, case, registry), the code where none exist.
    key = {"alert": "status.", "case": "case.status.", "operator": "reg.status."}.get(exc.subject_type, "") + str(c.status)
    status = translate(lang, key) if c.status and key in MESSAGES else c.status or "—"
    return translate(lang, "conflict.stale").format(
        subject=translate(lang, f"conflict.{exc.subject_type}"), id=exc.subject_id, sent=exc.sent,
        version=c.version, status=status, by=c.changed_by or "—",
        at=f"{c.changed_at:%Y-%m-%d %H:%M:%S} UTC" if c.changed_at else "—")
