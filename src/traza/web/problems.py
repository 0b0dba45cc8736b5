"""Service exceptions as problems a page shows (the web's counterpart of the API's
``translated``): the service raises, the user reads why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from traza.cases.alerts import AlertProblem
from traza.cases.cases import CaseProblem
from traza.service.declarations import Unreadable
from traza.service.registry import AlreadyRegistered, RegistryRefused
from traza.web.deps import WebProblem


@contextmanager
def shown(what: str) -> Iterator[None]:
    try:
        yield
    except KeyError as exc:
        raise WebProblem(f"{what}: {exc.args[0] if exc.args else ''} ?", status=404) from exc
    except (AlertProblem, CaseProblem) as exc:
        raise WebProblem(str(exc), status=409) from exc
    except AlreadyRegistered as exc:
        raise WebProblem(f"{exc.args[0]}: already registered", status=409) from exc
    except RegistryRefused as exc:
        reasons = "; ".join(f"{r.column}: {r.reason} ({r.value!r})" for r in exc.result.rejections)
        raise WebProblem(f"{exc} — {reasons}", status=400) from exc
    except Unreadable as exc:
        raise WebProblem(str(exc), status=400) from exc
