"""What the routers share: the /v1 router factory and service errors to API errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter

from traza.api.errors import ERROR_RESPONSES, Conflict, ErrorDetail, Invalid, NotFound
from traza.cases.alerts import AlertProblem
from traza.cases.cases import CaseProblem
from traza.service.declarations import Unreadable
from traza.service.registry import AlreadyRegistered, RegistryRefused


def router(tag: str) -> APIRouter:
    return APIRouter(prefix="/v1", tags=[tag], responses=ERROR_RESPONSES)


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Service exceptions as API errors with a message a person can act on."""
    try:
        yield
    except KeyError as exc:
        raise NotFound(f"no such {what}: {exc.args[0] if exc.args else ''}") from exc
    except (AlertProblem, CaseProblem) as exc:
        raise Conflict(str(exc)) from exc
    except AlreadyRegistered as exc:
        raise Conflict(f"{exc.args[0]} is already registered: change its status or authorisations instead") from exc
    except RegistryRefused as exc:
        raise Invalid(str(exc), details=[ErrorDetail(field=r.column, problem=f"{r.reason} (value {r.value!r})")
                                         for r in exc.result.rejections]) from exc
    except Unreadable as exc:
        raise Invalid(str(exc)) from exc
